// The ReplySurface for Slack: chat.postMessage, then chat.update; a placeholder holds the answer's place.
import type { webApi } from "@slack/bolt";
import type { Logger } from "../../src/logger.ts";
import type { SharedBudget } from "../../src/render/edit-pacer.ts";
import type { PostedMessage, ReplyControl, ReplySurface } from "../../src/render/surface.ts";
import { replyBlocks } from "./control-blocks.ts";
import { markdownToSlack } from "./format.ts";
import { SLACK_ANSWER_MAX_CHARACTERS, SLACK_EDIT_INTERVAL_MS } from "./limits.ts";
import { createSlackStream, type SlackStreamTarget } from "./stream-surface.ts";

/** Shown in the placeholder until the first text arrives. */
export const PLACEHOLDER_TEXT = "_Thinking…_";

/** What a Slack reply is written with. */
export interface SlackSurfaceOptions {
  client: webApi.WebClient;
  channel: string;
  /** The thread to answer in; undefined answers at the top level (a direct message's running conversation). */
  threadTs: string | undefined;
  logger: Logger;
  /** Least time between two edits of one message (default SLACK_EDIT_INTERVAL_MS). */
  editIntervalMs?: number;
  /** The workspace's chat.update budget, shared by every answer in it (none: edits are spaced per message only). */
  updateBudget?: SharedBudget;
  /** The message already holding the answer's place (see `postPlaceholder`, which never rejects). */
  placeholder?: Promise<string | undefined>;
  /** Mrkdwn kept above the answer in the placeholder's message (a command's question). */
  header?: string;
  /** Shows a passing status (assistant threads: assistant.threads.setStatus); default: edits the placeholder. */
  setStatus?: (text: string) => Promise<void>;
  /** Shows an error to the asker only (commands: response_url); default: in the thread. */
  showErrorPrivately?: (text: string) => Promise<void>;
  /**
   * Streams the answer natively in the thread (chat.startStream) for this recipient, while their workspace allows it;
   * post + update stays the fallback. Only for answers in a thread.
   */
  streamTo?: SlackStreamTarget;
}

/** A ReplySurface plus the clean-up after the reply. */
export interface SlackSurface extends ReplySurface {
  /** Deletes the placeholder when the reply never used it. */
  finish(): Promise<void>;
  /** From now on the messages carry the controls of reply `requestId` (Stop, 👍/👎) as blocks. */
  showControlsOf?(requestId: string): void;
  /** `stop` is called if the person stops the natively streamed answer in Slack itself. */
  whenStoppedInSlack?(stop: () => void): void;
}

/** Builds the surface for one reply. */
export function createSlackSurface(options: SlackSurfaceOptions): SlackSurface {
  const { client, channel, threadTs, logger, header } = options;
  let placeholderTs: string | undefined;
  // Without a placeholder (Slack refused it) the first text is simply posted as a new message.
  const placeholder = options.placeholder?.then((ts) => {
    placeholderTs = ts;
    return ts;
  });
  let placeholderClaimed = placeholder === undefined;
  let controlsId: string | undefined;
  /** With controls, the text goes in section blocks above them; `text` stays as the notification's fallback. */
  const blocksFor = (text: string, controls: readonly ReplyControl[] | undefined) =>
    controlsId && controls ? { blocks: replyBlocks(text, controls, controlsId) } : {};

  /** The placeholder's ts for the first caller (the first message or the error); later callers post anew. */
  async function claimPlaceholder(): Promise<string | undefined> {
    if (placeholderClaimed) return undefined;
    placeholderClaimed = true;
    return placeholder;
  }

  /** The placeholder's ts while nothing has claimed it yet. */
  async function peekPlaceholder(): Promise<string | undefined> {
    return placeholderClaimed ? undefined : placeholder;
  }

  const withHeader = (ts: string, text: string): string =>
    header !== undefined && ts === placeholderTs ? `${header}\n${text}` : text;

  async function update(ts: string, text: string, controls?: readonly ReplyControl[]): Promise<void> {
    const shown = withHeader(ts, text);
    await client.chat.update({ channel, ts, text: shown, ...blocksFor(shown, controls) });
  }

  async function postNew(text: string, controls?: readonly ReplyControl[]): Promise<PostedMessage> {
    const result = await client.chat.postMessage({
      channel,
      text,
      ...blocksFor(text, controls),
      ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
      // Sources would otherwise unfold into large previews under every answer.
      unfurl_links: false,
      unfurl_media: false,
    });
    if (!result.ts) throw new Error("chat.postMessage returned no ts");
    return { id: result.ts };
  }

  const { streamTo } = options;
  let stopAnswer: (() => void) | undefined;
  const stream =
    streamTo && threadTs !== undefined && streamTo.workspaces.streams(streamTo.recipientTeamId)
      ? createSlackStream({
          ...streamTo,
          client,
          channel,
          threadTs,
          appendIntervalMs: options.editIntervalMs ?? SLACK_EDIT_INTERVAL_MS,
          controlsId: () => controlsId,
          onStoppedInSlack: () => stopAnswer?.(),
          logger,
        })
      : undefined;

  return {
    ...(stream ? { stream } : {}),
    maxMessageLength: SLACK_ANSWER_MAX_CHARACTERS,
    editIntervalMs: options.editIntervalMs ?? SLACK_EDIT_INTERVAL_MS,
    format: markdownToSlack,
    get drawsControls() {
      return controlsId !== undefined;
    },
    showControlsOf(requestId) {
      controlsId = requestId;
    },
    whenStoppedInSlack(stop) {
      stopAnswer = stop;
    },

    async budgetFor(write) {
      const { updateBudget } = options;
      // Only writes that call chat.update spend the budget: while the placeholder is unclaimed, posts and errors
      // fill it; later posts are new messages (chat.postMessage), private errors go through response_url.
      if (write === "edit" || !updateBudget) return updateBudget;
      if (write === "status" && options.setStatus) return undefined;
      if (write === "error" && options.showErrorPrivately) return undefined;
      // Wait for the placeholder here, not after the slot is granted: a slot must be spent at once.
      return (await peekPlaceholder()) === undefined ? undefined : updateBudget;
    },

    async post(text, controls) {
      const heldTs = await claimPlaceholder();
      if (heldTs === undefined) return postNew(text, controls);
      await update(heldTs, text, controls);
      return { id: heldTs };
    },

    async edit(message, text, controls) {
      await update(message.id, text, controls);
    },

    async showStatus(text) {
      if (options.setStatus) return options.setStatus(text);
      const heldTs = await peekPlaceholder();
      if (heldTs !== undefined) await update(heldTs, `_${text}_`);
    },

    async postError(text) {
      if (options.showErrorPrivately) {
        await options.showErrorPrivately(text);
        return;
      }
      const heldTs = await claimPlaceholder();
      if (heldTs === undefined) await postNew(`:warning: ${text}`);
      else await update(heldTs, `:warning: ${text}`);
    },

    async finish() {
      const heldTs = await claimPlaceholder();
      if (heldTs === undefined) return;
      try {
        await client.chat.delete({ channel, ts: heldTs });
      } catch (error) {
        logger.warn({ channel, err: describeSlackError(error) }, "could not delete an unused placeholder");
      }
    },
  };
}

/**
 * Posts the "Thinking…" message that holds an answer's place, under an optional header. Resolves to its ts, or to
 * undefined when Slack refused (logged here, so the promise may wait unobserved beside other work).
 */
export async function postPlaceholder(
  client: webApi.WebClient,
  target: { channel: string; threadTs: string | undefined; header?: string; thinking?: boolean },
  logger: Logger,
): Promise<string | undefined> {
  // A header without "Thinking…" (thinking: false) roots a thread whose answer is streamed under it.
  const lines = [target.header, target.thinking === false ? undefined : PLACEHOLDER_TEXT];
  try {
    const result = await client.chat.postMessage({
      channel: target.channel,
      text: lines.filter((line) => line !== undefined).join("\n"),
      ...(target.threadTs === undefined ? {} : { thread_ts: target.threadTs }),
    });
    return result.ts;
  } catch (error) {
    logger.info(
      { channel: target.channel, err: describeSlackError(error) },
      "could not post the placeholder",
    );
    return undefined;
  }
}

/** A Slack API failure as a short, secret-free line for logs. */
export function describeSlackError(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const data = (error as { data?: { error?: unknown } }).data;
    if (data && typeof data.error === "string") return data.error;
    if (error instanceof Error) return error.message;
  }
  return String(error);
}
