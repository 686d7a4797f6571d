// The message commands (a message's Apps menu: Explain, Summarize, Translate to English): the turn each asks for.
import { type REST, Routes } from "discord.js";
import type { Logger } from "../../src/logger.ts";
import {
  findMessageAction,
  messageActionPrompt,
  type QuotedMessage,
  SUMMARY_MESSAGE_LIMIT,
} from "../../src/message-actions.ts";
import type { AttachmentReader, Turn } from "../../src/types.ts";
import { errorForLog } from "./log-error.ts";
import {
  authorOf,
  DIRECT_MESSAGE_WORKSPACE,
  DISCORD_PLATFORM,
  spokenAttachments,
  spokenText,
} from "./parse.ts";
import type { CommandInteractionPayload, MessagePayload } from "./payloads.ts";

/** Said when the chosen message has nothing to work on. */
export const EMPTY_TARGET_MESSAGE = "That message has no text or files I can read.";

/** What building a message action's turn needs. */
export interface MessageActionDependencies {
  rest: REST;
  logger: Logger;
  readAttachment?: AttachmentReader;
}

/** A message command as parley answers it: a private refusal, or the turn (built after the deferral: it may read
 *  the channel's history). */
export type MessageActionPlan = { refusal: string } | { turn: () => Promise<Turn> };

/** Plans the answer to one message command interaction. */
export function planMessageAction(
  interaction: CommandInteractionPayload,
  deps: MessageActionDependencies,
): MessageActionPlan {
  const action = findMessageAction(interaction.data.name);
  const targetId = interaction.data.target_id;
  const target = targetId ? interaction.data.resolved?.messages?.[targetId] : undefined;
  const user = interaction.member?.user ?? interaction.user;
  const channelId = interaction.channel?.id ?? interaction.channel_id;
  if (!action || !target || !user || !channelId) return { refusal: "parley does not know this command." };
  const botUserId = interaction.application_id;
  const quoted = quote(target, botUserId);
  const attachments = spokenAttachments(target);
  if (quoted.text === "" && attachments.length === 0) return { refusal: EMPTY_TARGET_MESSAGE };
  return {
    turn: async () => {
      const earlier = action.readsEarlierMessages
        ? await earlierMessages(deps, channelId, target.id, botUserId)
        : [];
      // Only the asker sees the answer, so it is a conversation of its own, not the channel's.
      return {
        key: {
          platform: DISCORD_PLATFORM,
          workspace: interaction.guild_id ?? DIRECT_MESSAGE_WORKSPACE,
          channel: channelId,
          thread: `action-${interaction.id}`,
        },
        author: authorOf(user, interaction.member),
        kind: "ask",
        text: await messageActionPrompt(action, quoted, earlier),
        ...(attachments.length > 0 ? { attachments } : {}),
        ...(deps.readAttachment ? { readAttachment: deps.readAttachment } : {}),
        ...(interaction.guild_id === undefined ? { venue: "direct" as const } : {}),
      };
    },
  };
}

/**
 * The messages before the target, newest first: the thread's or the channel's. Where parley cannot read them
 * (a DM it is not in, no Read Message History) the summary covers the target alone.
 */
async function earlierMessages(
  deps: MessageActionDependencies,
  channelId: string,
  beforeId: string,
  botUserId: string,
): Promise<QuotedMessage[]> {
  try {
    const query = new URLSearchParams({ before: beforeId, limit: String(SUMMARY_MESSAGE_LIMIT) });
    const page = await deps.rest.get(Routes.channelMessages(channelId), { query });
    return Array.isArray(page) ? page.map((message: MessagePayload) => quote(message, botUserId)) : [];
  } catch (error) {
    deps.logger.info(
      { error: errorForLog(error), channelId },
      "discord history unreadable: summarizing one message",
    );
    return [];
  }
}

/** A message as the model reads it: who wrote it, and what it says. */
function quote(message: MessagePayload, botUserId: string): QuotedMessage {
  return {
    author: authorOf(message.author, message.member).displayName,
    text: spokenText(message, botUserId),
  };
}
