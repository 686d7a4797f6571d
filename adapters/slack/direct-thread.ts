// Answers a person's direct message in its DM thread: a status while the model works, a title from the first prompt.
import type { webApi } from "@slack/bolt";
import { shorten } from "./format.ts";
import type { SlackHandlerDependencies } from "./handler-dependencies.ts";
import { slackTextToPlain } from "./incoming-text.ts";
import { SLACK_THREAD_TITLE_MAX_CHARACTERS } from "./limits.ts";
import { claimMessage } from "./messages.ts";
import type { SlackMessage } from "./parse-event.ts";
import { createSlackSurface, describeSlackError } from "./surface.ts";
import { messageTurn, slackKey } from "./turns.ts";

/** Shown in the DM thread while the model works (Slack clears it when the answer is posted). */
export const THINKING_STATUS = "is thinking…";

/** How the thread's status and title are set: Bolt's Assistant utilities, or the Web API calls behind them. */
export interface DirectThreadControls {
  setStatus(status: string): Promise<unknown>;
  setTitle(title: string): Promise<unknown>;
}

/** The status and title calls for a DM thread, made with the Web API client (agent DMs, top-level messages). */
export function directThreadControls(
  client: webApi.WebClient,
  channel: string,
  threadTs: string,
): DirectThreadControls {
  return {
    setStatus: (status) =>
      client.assistant.threads.setStatus({ channel_id: channel, thread_ts: threadTs, status }),
    setTitle: (title) =>
      client.assistant.threads.setTitle({ channel_id: channel, thread_ts: threadTs, title }),
  };
}

/**
 * Answers `message` in the DM thread `threadTs` (its own ts for a top-level message: each question starts a thread).
 * Outside the allow-lists, or when another delivery claimed it, nothing happens.
 */
export async function answerInDirectThread(input: {
  deps: SlackHandlerDependencies;
  client: webApi.WebClient;
  message: SlackMessage;
  threadTs: string;
  botUserId: string | undefined;
  controls: DirectThreadControls;
  /** A note added to the prompt: what the user is looking at in Slack, when they share it. */
  viewingNote?: string | undefined;
}): Promise<void> {
  const { deps, client, message, threadTs, botUserId, controls } = input;
  const { engine, answerer, logger } = deps;
  if (!answerer.accepting()) return;
  const warn = (what: string) => (error: unknown) =>
    logger.warn({ err: describeSlackError(error) }, `direct thread ${what} failed`);
  const key = slackKey(message.teamId, message.channel, threadTs);
  const turnOf = (displayName: string) => {
    const turn = messageTurn({
      message,
      key,
      kind: "mention",
      displayName,
      botUserId,
      readAttachment: deps.readAttachment,
      isPlatformAdmin: () => deps.adminStatus(client, message.userId),
    });
    return input.viewingNote ? { ...turn, contextNote: input.viewingNote } : turn;
  };
  // Outside the allow-lists (ALLOW_DMS, ALLOW_USERS) the message is left alone.
  if (!engine.access(turnOf(message.userId)).allowed) return;
  if (!(await claimMessage(engine, message, logger))) return;
  const plain = slackTextToPlain(message.text, botUserId);
  // Beside the answer, not before it: the status shows while the model works, the title names the thread.
  void controls.setStatus(THINKING_STATUS).catch(warn("status"));
  // A store that cannot say leaves the title alone; the turn itself then tells the person why it cannot answer.
  const isFirstPrompt = await engine.hasConversation(key).then(
    (known) => !known,
    (error: unknown) => {
      logger.warn({ err: error }, "could not tell whether the DM thread is new; its title is left alone");
      return false;
    },
  );
  if (isFirstPrompt && plain !== "") {
    void controls.setTitle(shorten(plain, SLACK_THREAD_TITLE_MAX_CHARACTERS)).catch(warn("title"));
  }
  const displayName = message.displayName ?? (await deps.displayName(client, message.userId));
  const turn = turnOf(displayName);
  answerer.answer(turn, (turnLogger) =>
    createSlackSurface({
      client,
      channel: message.channel,
      threadTs,
      logger: turnLogger,
      editIntervalMs: deps.editIntervalMs,
      updateBudget: deps.editPacer.budget(key.workspace),
      setStatus: async (text) => {
        await controls.setStatus(text);
      },
      streamTo: {
        recipientUserId: message.userId,
        recipientTeamId: message.teamId,
        workspaces: deps.streaming,
      },
    }),
  );
}
