// Answers the message commands (a message's Apps menu: Explain, Summarize, Translate to English), privately.
import { InteractionResponseType, MessageFlags, type REST, Routes, SnowflakeUtil } from "discord.js";
import type { Logger } from "../../src/logger.ts";
import {
  findMessageAction,
  messageActionPrompt,
  type QuotedMessage,
  SUMMARY_MESSAGE_LIMIT,
} from "../../src/message-actions.ts";
import { claimEvent } from "../../src/ops/claim-event.ts";
import { SHUTTING_DOWN_MESSAGE, type TurnLifecycle } from "../../src/ops/turn-lifecycle.ts";
import type { EditPacer } from "../../src/render/edit-pacer.ts";
import { renderReply } from "../../src/render/render-reply.ts";
import type { RenderClock } from "../../src/render/surface.ts";
import { STORE_DOWN_MESSAGE } from "../../src/store/store-errors.ts";
import type { AttachmentReader, Engine, Turn } from "../../src/types.ts";
import { createChannelSurface } from "./channel-surface.ts";
import { createInteractionSurface } from "./interaction-surface.ts";
import { errorForLog, logSurfaceError } from "./log-error.ts";
import { NO_PINGS } from "./message-body.ts";
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

/** What the message action handler needs. */
export interface MessageActionHandlerOptions {
  rest: REST;
  engine: Engine;
  lifecycle: TurnLifecycle;
  logger: Logger;
  clock: RenderClock;
  tokenLifetimeMs: number;
  pacer?: EditPacer;
  readAttachment?: AttachmentReader;
}

/** Handles one message command interaction; rejects only on unexpected failures (the caller logs them). */
export function createMessageActionHandler(
  options: MessageActionHandlerOptions,
): (interaction: CommandInteractionPayload) => Promise<void> {
  const { rest, engine, lifecycle, logger, clock } = options;
  const pacing = options.pacer ? { pacer: options.pacer } : {};
  const callback = (interaction: CommandInteractionPayload, body: Record<string, unknown>) =>
    rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body, auth: false });
  const refuse = (interaction: CommandInteractionPayload, content: string) =>
    callback(interaction, {
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content, flags: MessageFlags.Ephemeral, allowed_mentions: NO_PINGS },
    });

  return async (interaction) => {
    const action = findMessageAction(interaction.data.name);
    const targetId = interaction.data.target_id;
    const target = targetId ? interaction.data.resolved?.messages?.[targetId] : undefined;
    const user = interaction.member?.user ?? interaction.user;
    const channelId = interaction.channel?.id ?? interaction.channel_id;
    if (!action || !target || !user || !channelId) {
      await refuse(interaction, "parley does not know this command.");
      return;
    }
    if (!lifecycle.accepting()) {
      await refuse(interaction, SHUTTING_DOWN_MESSAGE);
      return;
    }
    const botUserId = interaction.application_id;
    const quoted = quote(target, botUserId);
    const attachments = spokenAttachments(target);
    if (quoted.text === "" && attachments.length === 0) {
      await refuse(interaction, EMPTY_TARGET_MESSAGE);
      return;
    }
    const claim = await claimEvent(engine, DISCORD_PLATFORM, `interaction:${interaction.id}`, logger);
    if (claim === "taken") return;
    if (claim === "store_down") {
      await refuse(interaction, STORE_DOWN_MESSAGE);
      return;
    }
    // Only the asker sees the answer, so it is a conversation of its own, not the channel's.
    const deferred = callback(interaction, {
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral },
    });
    deferred.catch((error: unknown) => logger.warn({ error: errorForLog(error) }, "discord deferral failed"));
    const earlier = action.readsEarlierMessages ? await earlierMessages(channelId, target.id, botUserId) : [];
    const turn: Turn = {
      key: {
        platform: DISCORD_PLATFORM,
        workspace: interaction.guild_id ?? DIRECT_MESSAGE_WORKSPACE,
        channel: channelId,
        thread: `action-${interaction.id}`,
      },
      author: authorOf(user, interaction.member),
      kind: "ask",
      text: messageActionPrompt(action, quoted, earlier),
      ...(attachments.length > 0 ? { attachments } : {}),
      ...(options.readAttachment ? { readAttachment: options.readAttachment } : {}),
      ...(interaction.guild_id === undefined ? { venue: "direct" as const } : {}),
    };
    const createdAtMs = SnowflakeUtil.timestampFrom(interaction.id);
    const surface = createInteractionSurface({
      rest,
      applicationId: interaction.application_id,
      interactionToken: interaction.token,
      deferred,
      ephemeral: true,
      tokenExpired: () => clock.now() - createdAtMs >= options.tokenLifetimeMs,
      fallback: () => createChannelSurface({ rest, target: { channelId }, ...pacing }),
      ...pacing,
    });
    await lifecycle.run(
      turn,
      async ({ events, logger: turnLogger }) => {
        const rendered = await renderReply(events, surface, clock);
        logSurfaceError(turnLogger, rendered);
        return rendered;
      },
      { logger },
    );
  };

  /**
   * The messages before the target, newest first: the thread's or the channel's. Where parley cannot read them
   * (a DM it is not in, no Read Message History) the summary covers the target alone.
   */
  async function earlierMessages(
    channelId: string,
    beforeId: string,
    botUserId: string,
  ): Promise<QuotedMessage[]> {
    try {
      const query = new URLSearchParams({ before: beforeId, limit: String(SUMMARY_MESSAGE_LIMIT) });
      const page = await rest.get(Routes.channelMessages(channelId), { query });
      return Array.isArray(page) ? page.map((message: MessagePayload) => quote(message, botUserId)) : [];
    } catch (error) {
      logger.info(
        { error: errorForLog(error), channelId },
        "discord history unreadable: summarizing one message",
      );
      return [];
    }
  }
}

/** A message as the model reads it: who wrote it, and what it says. */
function quote(message: MessagePayload, botUserId: string): QuotedMessage {
  return {
    author: authorOf(message.author, message.member).displayName,
    text: spokenText(message, botUserId),
  };
}
