// Answers the message shortcuts (a message's ⋮ menu: Explain, Summarize, Translate to English), privately.
import type { App, MessageShortcut, webApi } from "@slack/bolt";
import {
  MESSAGE_ACTIONS,
  messageActionPrompt,
  type QuotedMessage,
  SUMMARY_MESSAGE_LIMIT,
} from "../../src/message-actions.ts";
import { SHUTTING_DOWN_MESSAGE } from "../../src/ops/turn-lifecycle.ts";
import type { Turn } from "../../src/types.ts";
import { parseSlackFiles } from "./files.ts";
import type { SlackHandlerDependencies } from "./handler-dependencies.ts";
import { slackTextToPlain } from "./incoming-text.ts";
import type { JsonRecord } from "./json-fields.ts";
import { createPrivateSurface } from "./private-surface.ts";
import { messageActionCallbackId } from "./shortcut-ids.ts";
import { describeSlackError } from "./surface.ts";
import { slackKey } from "./turns.ts";

/** Said when the chosen message has nothing to work on. */
export const EMPTY_TARGET_TEXT = "That message has no text or files I can read.";

/** A message as conversations.history and conversations.replies return it (the fields read here). */
interface HistoryMessage {
  user?: string;
  bot_id?: string;
  username?: string;
  text?: string;
  ts?: string;
}

/** Registers one shortcut listener per message action; each answers through the shortcut's response_url. */
export function registerMessageActions(app: App, deps: SlackHandlerDependencies): void {
  const { answerer, logger } = deps;
  for (const action of MESSAGE_ACTIONS) {
    app.shortcut<MessageShortcut>(
      { callback_id: messageActionCallbackId(action), type: "message_action" },
      async ({ ack, shortcut, client, respond, context }) => {
        // Slack gives up after 3 seconds: acknowledge before anything else.
        await ack();
        const say = (text: string) =>
          respond({ response_type: "ephemeral", text }).catch((error: unknown) => {
            logger.warn({ err: describeSlackError(error) }, "could not answer through response_url");
          });
        if (!answerer.accepting()) {
          await say(SHUTTING_DOWN_MESSAGE);
          return;
        }
        const message = shortcut.message;
        const text = slackTextToPlain(message.text ?? "", context.botUserId);
        const attachments = parseSlackFiles(message as unknown as JsonRecord);
        if (text === "" && attachments.length === 0) {
          await say(EMPTY_TARGET_TEXT);
          return;
        }
        const channel = shortcut.channel.id;
        const teamId = shortcut.team?.id ?? shortcut.user.team_id ?? "";
        const author = message.user ? await deps.displayName(client, message.user) : "someone";
        const earlier = action.readsEarlierMessages
          ? await earlierMessages(client, deps, channel, message.ts, message.thread_ts, context.botUserId)
          : [];
        // Only the asker sees the answer, so it is a conversation of its own, not the channel's.
        const turn: Turn = {
          key: slackKey(teamId, channel, `action-${shortcut.action_ts}`),
          author: {
            id: shortcut.user.id,
            displayName: await deps.displayName(client, shortcut.user.id),
            isBot: false,
          },
          kind: "ask",
          text: await messageActionPrompt(action, { author, text }, earlier),
          ...(attachments.length > 0 ? { attachments, readAttachment: deps.readAttachment } : {}),
          ...(channel.startsWith("D") ? { venue: "direct" as const } : {}),
        };
        // Outside the allow-lists the engine only refuses: privately, like a slash command.
        const verdict = deps.engine.access(turn);
        if (!verdict.allowed) {
          await say(verdict.message);
          return;
        }
        answerer.answer(turn, () => createPrivateSurface(respond));
      },
    );
  }
}

/**
 * The messages before the target, newest first: its thread's (root included) or the channel's. Where parley may
 * not read them (not in the channel), the summary covers the target alone.
 */
async function earlierMessages(
  client: webApi.WebClient,
  deps: SlackHandlerDependencies,
  channel: string,
  beforeTs: string,
  threadTs: string | undefined,
  botUserId: string | undefined,
): Promise<QuotedMessage[]> {
  let found: HistoryMessage[];
  try {
    const page =
      threadTs && threadTs !== beforeTs
        ? await client.conversations.replies({
            channel,
            ts: threadTs,
            latest: beforeTs,
            inclusive: false,
            limit: SUMMARY_MESSAGE_LIMIT,
          })
        : await client.conversations.history({
            channel,
            latest: beforeTs,
            inclusive: false,
            limit: SUMMARY_MESSAGE_LIMIT,
          });
    found = (page.messages ?? []) as HistoryMessage[];
  } catch (error) {
    deps.logger.info(
      { err: describeSlackError(error), channel },
      "slack history unreadable: summarizing one message",
    );
    return [];
  }
  // Replies come oldest first, history newest first; both are read newest first here, without the target.
  const newestFirst = [...found]
    .filter((message) => message.ts !== beforeTs)
    .sort((first, second) => Number(second.ts ?? 0) - Number(first.ts ?? 0));
  const quoted: QuotedMessage[] = [];
  for (const message of newestFirst) {
    const author = message.user
      ? await deps.displayName(client, message.user)
      : (message.username ?? (message.bot_id ? "a bot" : "someone"));
    quoted.push({ author, text: slackTextToPlain(message.text ?? "", botUserId) });
  }
  return quoted;
}
