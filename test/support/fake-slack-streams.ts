// The fake Slack's native streaming: chat.startStream, chat.appendStream and chat.stopStream with their documented rules.
import type { FakeSlackMessage } from "./fake-slack.ts";

/** markdown_text (the argument or a chunk) holds at most this many characters per call. */
export const STREAM_MARKDOWN_MAX_CHARACTERS = 12_000;

/** A task as the streamed message shows it: the last task_update of each id wins. */
export interface FakeStreamTask {
  id: string;
  title: string;
  status: string;
  sources?: { type: string; url: string; text: string }[];
}

/** What a streamed message holds beside its text. */
export interface FakeStream {
  /** "stopped_by_person": the person pressed Slack's own stop on the streaming message. */
  state: "streaming" | "stopped" | "stopped_by_person";
  /** A stream started with markdown_text must go on with it, one started with chunks with chunks. */
  mode: "markdown" | "chunks";
  tasks: Map<string, FakeStreamTask>;
  /** The markdown each call added, in order (start, appends, stop). */
  pieces: string[];
}

type Answer = Record<string, unknown>;
const TASK_STATUSES = new Set(["pending", "in_progress", "complete", "error"]);

/** The text and tasks a call adds, or the documented error. */
function readContent(
  params: Record<string, unknown>,
): { mode: "markdown" | "chunks" | undefined; text: string; tasks: FakeStreamTask[] } | { error: string } {
  const markdown = params.markdown_text;
  const chunks = params.chunks;
  if (markdown !== undefined && chunks !== undefined)
    return { error: "cannot_provide_both_markdown_text_and_chunks" };
  if (typeof markdown === "string") {
    if (markdown.length > STREAM_MARKDOWN_MAX_CHARACTERS) return { error: "msg_too_long" };
    return { mode: "markdown", text: markdown, tasks: [] };
  }
  if (chunks === undefined) return { mode: undefined, text: "", tasks: [] };
  if (!Array.isArray(chunks)) return { error: "invalid_chunks" };
  let text = "";
  const tasks: FakeStreamTask[] = [];
  for (const chunk of chunks as Record<string, unknown>[]) {
    if (chunk.type === "markdown_text") {
      if (typeof chunk.text !== "string") return { error: "invalid_chunks" };
      if (chunk.text.length > STREAM_MARKDOWN_MAX_CHARACTERS) return { error: "msg_too_long" };
      text += chunk.text;
    } else if (chunk.type === "task_update") {
      if (
        typeof chunk.id !== "string" ||
        typeof chunk.title !== "string" ||
        !TASK_STATUSES.has(String(chunk.status))
      )
        return { error: "invalid_chunks" };
      const sources = chunk.sources as FakeStreamTask["sources"] | undefined;
      if (
        sources !== undefined &&
        (!Array.isArray(sources) || sources.some((source) => source.type !== "url"))
      )
        return { error: "invalid_chunks" };
      tasks.push({
        id: chunk.id,
        title: chunk.title,
        status: String(chunk.status),
        ...(sources ? { sources } : {}),
      });
    } else if (chunk.type !== "plan_update" && chunk.type !== "blocks") {
      return { error: "invalid_chunks" };
    }
  }
  return { mode: "chunks", text, tasks };
}

/** The fake's streaming methods over its list of messages. */
export interface FakeStreaming {
  /** Makes chat.startStream answer `channel_type_not_supported`, as where Slack cannot stream. */
  unavailable: boolean;
  /** The streams of messages by ts. */
  streams: Map<string, FakeStream>;
  /** The person stops the stream of message `ts` in Slack: later appends answer `stopped_by_user`. */
  stopByPerson(ts: string): void;
  answer(method: string, params: Record<string, unknown>): Answer | undefined;
}

/** Creates the streaming methods; `post` adds a message to the fake's list and returns it. */
export function createFakeStreaming(input: {
  post(channel: string, threadTs: string, text: string): FakeSlackMessage;
  find(channel: unknown, ts: unknown): FakeSlackMessage | undefined;
}): FakeStreaming {
  const streams = new Map<string, FakeStream>();

  function add(
    message: FakeSlackMessage,
    stream: FakeStream,
    content: { text: string; tasks: FakeStreamTask[] },
  ) {
    for (const task of content.tasks) stream.tasks.set(task.id, task);
    stream.pieces.push(content.text);
    message.text += content.text;
    message.history.push(message.text);
  }

  const streaming: FakeStreaming = {
    unavailable: false,
    streams,
    stopByPerson(ts) {
      const stream = streams.get(ts);
      if (stream) stream.state = "stopped_by_person";
    },
    answer(method, params) {
      if (method === "chat.startStream") {
        if (typeof params.channel !== "string") return { ok: false, error: "channel_not_found" };
        if (typeof params.thread_ts !== "string") return { ok: false, error: "invalid_arguments" };
        if (streaming.unavailable) return { ok: false, error: "channel_type_not_supported" };
        // Outside a DM the recipient must be named.
        if (!params.channel.startsWith("D")) {
          if (typeof params.recipient_user_id !== "string")
            return { ok: false, error: "missing_recipient_user_id" };
          if (typeof params.recipient_team_id !== "string")
            return { ok: false, error: "missing_recipient_team_id" };
        }
        const content = readContent(params);
        if ("error" in content) return { ok: false, error: content.error };
        const message = input.post(params.channel, params.thread_ts, "");
        message.history.length = 0;
        const stream: FakeStream = {
          state: "streaming",
          mode: content.mode ?? "chunks",
          tasks: new Map(),
          pieces: [],
        };
        streams.set(message.ts, stream);
        add(message, stream, content);
        return { ok: true, channel: message.channel, ts: message.ts };
      }
      if (method === "chat.appendStream" || method === "chat.stopStream") {
        const message = input.find(params.channel, params.ts);
        const stream = message ? streams.get(message.ts) : undefined;
        if (!message || !stream) return { ok: false, error: "message_not_found" };
        if (stream.state === "stopped_by_person" && method === "chat.appendStream")
          return { ok: false, error: "stopped_by_user" };
        if (stream.state !== "streaming") return { ok: false, error: "message_not_in_streaming_state" };
        const content = readContent(params);
        if ("error" in content) return { ok: false, error: content.error };
        if (method === "chat.appendStream" && content.mode === undefined)
          return { ok: false, error: "markdown_text_or_chunks_required" };
        if (content.mode !== undefined && content.mode !== stream.mode)
          return { ok: false, error: "streaming_mode_mismatch" };
        if (method === "chat.stopStream") {
          const blocks = params.blocks;
          if (blocks !== undefined && (!Array.isArray(blocks) || blocks.length > 50))
            return { ok: false, error: "invalid_blocks" };
          if (content.mode !== undefined) add(message, stream, content);
          if (Array.isArray(blocks)) message.blocks = blocks as Record<string, unknown>[];
          stream.state = "stopped";
          return { ok: true, channel: message.channel, ts: message.ts };
        }
        add(message, stream, content);
        return { ok: true, channel: message.channel, ts: message.ts };
      }
      return undefined;
    },
  };
  return streaming;
}
