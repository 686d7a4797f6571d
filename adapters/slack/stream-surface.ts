// Slack's native streaming (chat.startStream, appendStream, stopStream) as the renderer's append-only MessageStream.
import type { webApi } from "@slack/bolt";
import type { Logger } from "../../src/logger.ts";
import type { SharedBudget, WritePriority } from "../../src/render/edit-pacer.ts";
import {
  type MessageStream,
  type ReplyControl,
  type ReplyTask,
  type StreamPiece,
  StreamStoppedError,
  StreamUnavailableError,
} from "../../src/render/surface.ts";
import type { Citation } from "../../src/types.ts";
import { replyBlocks } from "./control-blocks.ts";
import { inertMarkdown } from "./format.ts";
import { SLACK_ANSWER_MAX_CHARACTERS } from "./limits.ts";
import type { StreamingWorkspaces } from "./streaming-workspaces.ts";
import { describeSlackError } from "./surface.ts";

/**
 * The errors with which chat.startStream says it cannot stream here, as opposed to a failure of this one call:
 * `channel_type_not_supported` (documented for the method) and `unknown_method` (Slack's answer where the method
 * does not exist). Anything else (rate limits, network) is handled like any other failed write.
 */
const STREAMING_UNAVAILABLE_ERRORS: ReadonlySet<string> = new Set([
  "channel_type_not_supported",
  "unknown_method",
]);

/** chat.appendStream's error once the person stopped the stream in Slack. */
const STOPPED_BY_USER_ERROR = "stopped_by_user";

/** Longest title Slack shows on a task, and longest label of one of its sources. */
const TASK_TITLE_MAX_CHARACTERS = 200;
const SOURCE_LABEL_MAX_CHARACTERS = 120;

/** Who a streamed answer is for: Slack requires the recipient outside DMs; parley always sends them. */
export interface SlackStreamTarget {
  recipientUserId: string;
  recipientTeamId: string;
  workspaces: StreamingWorkspaces;
}

/** What one streamed answer is written with. */
export interface SlackStreamOptions extends SlackStreamTarget {
  client: webApi.WebClient;
  channel: string;
  threadTs: string;
  /** Least time between two appends to one message. */
  appendIntervalMs: number;
  /** The request whose controls (👍/👎, Retry) the final message carries; undefined: none. */
  controlsId: () => string | undefined;
  /** Called when the person stopped the stream in Slack, so the answer stops being written too. */
  onStoppedInSlack: () => void;
  logger: Logger;
}

/** The Slack error code of a failed call, if it has one. */
function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === "string" ? data.error : undefined;
}

const shorten = (text: string, maxCharacters: number): string =>
  text.length <= maxCharacters ? text : `${text.slice(0, maxCharacters - 1)}…`;

/** A citation as a task's source: web links only, labelled with the title or the address. */
function sourceElement(citation: Citation): { type: "url"; url: string; text: string } | undefined {
  try {
    const url = new URL(citation.url.trim());
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    const label = citation.title?.replace(/\s+/g, " ").trim() || url.hostname;
    return { type: "url", url: url.href, text: shorten(label, SOURCE_LABEL_MAX_CHARACTERS) };
  } catch {
    return undefined;
  }
}

function taskChunk(task: ReplyTask) {
  const sources = (task.sources ?? []).flatMap((citation) => sourceElement(citation) ?? []);
  return {
    type: "task_update" as const,
    id: task.id,
    title: shorten(inertMarkdown(task.title), TASK_TITLE_MAX_CHARACTERS),
    status: task.status,
    ...(sources.length > 0 ? { sources } : {}),
  };
}

/** A piece as chunks: its tasks first (they describe the work before the text), then its Markdown. */
function chunksOf(piece: StreamPiece) {
  const text = piece.markdown === "" ? [] : [{ type: "markdown_text" as const, text: piece.markdown }];
  return [...piece.tasks.map(taskChunk), ...text];
}

/** Builds the stream of one answer in a thread. */
export function createSlackStream(options: SlackStreamOptions): MessageStream {
  const { client, channel, threadTs, logger } = options;
  const budgets = options.workspaces.budgets(options.recipientTeamId);

  /** Runs one call once its workspace budget grants a slot. */
  async function paced<T>(budget: SharedBudget, priority: WritePriority, call: () => Promise<T>): Promise<T> {
    const ticket = budget.request(priority);
    await ticket.granted;
    try {
      return await call();
    } finally {
      ticket.done();
    }
  }

  return {
    // The same length as a posted answer, so native and fallback answers look alike.
    maxMessageLength: SLACK_ANSWER_MAX_CHARACTERS,
    appendIntervalMs: options.appendIntervalMs,
    inert: inertMarkdown,

    async start(piece) {
      // A workspace that started its Tier 2 share of streams this minute gets this answer posted and updated rather
      // than kept waiting for a slot.
      const ticket = budgets.start.tryNow();
      if (!ticket) throw new Error("chat.startStream budget spent for this minute");
      try {
        const result = await client.chat.startStream({
          channel,
          thread_ts: threadTs,
          recipient_user_id: options.recipientUserId,
          recipient_team_id: options.recipientTeamId,
          chunks: chunksOf(piece),
        });
        if (!result.ts) throw new Error("chat.startStream returned no ts");
        return { id: result.ts };
      } catch (error) {
        const code = slackErrorCode(error);
        if (code === undefined || !STREAMING_UNAVAILABLE_ERRORS.has(code)) {
          logger.warn(
            { channel, slackError: describeSlackError(error) },
            "chat.startStream failed: this answer is posted and updated instead",
          );
          throw error;
        }
        options.workspaces.markUnavailable(options.recipientTeamId);
        logger.info(
          { team: options.recipientTeamId, slackError: code },
          "slack refused native streaming: this workspace's answers are posted and updated instead",
        );
        throw new StreamUnavailableError(`chat.startStream: ${code}`, { cause: error });
      } finally {
        ticket.done();
      }
    },

    async append(message, piece) {
      try {
        await paced(budgets.append, "stream", () =>
          client.chat.appendStream({ channel, ts: message.id, chunks: chunksOf(piece) }),
        );
      } catch (error) {
        if (slackErrorCode(error) === STOPPED_BY_USER_ERROR) {
          options.onStoppedInSlack();
          throw new StreamStoppedError("the person stopped the stream", { cause: error });
        }
        throw error;
      }
    },

    async stop(message, controls: readonly ReplyControl[]) {
      const requestId = options.controlsId();
      // The text is all appended already: stopStream gets only the controls (text given again would show twice).
      const blocks =
        requestId !== undefined && controls.length > 0 ? replyBlocks("", controls, requestId) : [];
      await paced(budgets.stop, "finish", () =>
        client.chat.stopStream({
          channel,
          ts: message.id,
          ...(blocks.length > 0
            ? { blocks: blocks as unknown as webApi.ChatStopStreamArguments["blocks"] }
            : {}),
        }),
      );
    },
  };
}
