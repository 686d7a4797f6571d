// The small surface each adapter implements so the shared renderer can post and edit its messages.
import type { Citation } from "../types.ts";
import type { SharedBudget } from "./edit-pacer.ts";

/** A kind of write the renderer makes on a surface. */
export type SurfaceWrite = "post" | "edit" | "status" | "error";

/**
 * A control a reply message carries, drawn by each surface its own way (Discord buttons, Slack blocks): Stop while the
 * answer streams, then feedback (👍/👎) on a finished answer or Retry on one that failed or was cut off.
 */
export type ReplyControl = "stop" | "feedback" | "retry";

/** A message the platform accepted, identified however the platform likes. */
export interface PostedMessage {
  id: string;
}

/** What the renderer needs from a platform: post a message, edit it, and the platform's limits. */
export interface ReplySurface {
  /** Longest text one message may hold, in characters, after `format`. */
  maxMessageLength: number;
  /** Least time between two edits of the same message (Discord: about 1000 ms). */
  editIntervalMs: number;
  /** Posts a new message: the first of a reply or a continuation. `controls` only when `drawsControls`. */
  post(text: string, controls?: readonly ReplyControl[]): Promise<PostedMessage>;
  /** Replaces the text (and the controls: none when empty) of a message posted earlier. */
  edit(message: PostedMessage, text: string, controls?: readonly ReplyControl[]): Promise<void>;
  /** The surface draws `ReplyControl`s: the renderer then gives the last message its controls. */
  drawsControls?: boolean;
  /** Turns parley's Markdown into the platform's text (escaping, inert mentions). Default: unchanged. */
  format?(markdown: string): string;
  /** Text can only be appended (a terminal): partial answers are shown as they are, fences unclosed. */
  appendOnly?: boolean;
  /** Shows a passing status before the first text ("Searching the web…"). Optional. */
  showStatus?(text: string): Promise<void>;
  /** Shows an error privately when the reply has no text yet (Discord ephemeral, Slack response_url). */
  postError?(text: string): Promise<void>;
  /**
   * The platform budget the next write of this kind spends, shared with every other reply (Slack: the workspace's
   * chat.update budget; Discord: the channel's). Undefined: the write is not paced beyond `editIntervalMs`.
   */
  budgetFor?(
    write: SurfaceWrite,
    message?: PostedMessage,
  ): SharedBudget | undefined | Promise<SharedBudget | undefined>;
  /**
   * The platform's own append-only streaming of a message (Slack's chat.startStream), used instead of post and edit
   * when present; if the platform says streaming is unavailable, the reply falls back to post and edit.
   */
  stream?: MessageStream;
}

/** A step of the answer shown while it runs (a web search), finished with the sources it found. */
export interface ReplyTask {
  id: string;
  title: string;
  status: "in_progress" | "complete";
  sources?: readonly Citation[];
}

/** What one write adds to a streamed message: Markdown to append and tasks to show or update. */
export interface StreamPiece {
  markdown: string;
  tasks: readonly ReplyTask[];
}

/**
 * A message written by appending only: the platform shows each piece after the last and never takes one back, so
 * every character is sent once. Pieces are cut after whitespace, so `inert` may work on each alone.
 */
export interface MessageStream {
  /** Longest text one streamed message may hold, in characters after `inert`: past it a new message continues. */
  maxMessageLength: number;
  /** Least time between two appends to the same message. */
  appendIntervalMs: number;
  /** Makes a piece of parley's Markdown safe to stream (inert mentions). Default: unchanged. */
  inert?(markdown: string): string;
  /**
   * Starts a message with its first piece; rejects with StreamUnavailableError where the platform cannot stream. If
   * the first message of a reply cannot be started, for any reason, the reply is written with post and edit.
   */
  start(piece: StreamPiece): Promise<PostedMessage>;
  /** Appends a piece; rejects with StreamStoppedError when the person stopped the stream on the platform. */
  append(message: PostedMessage, piece: StreamPiece): Promise<void>;
  /** Ends the message with its final controls (without repeating any text). */
  stop(message: PostedMessage, controls: readonly ReplyControl[]): Promise<void>;
}

/** The platform will not stream here (this kind of conversation, this workspace): post and edit instead. */
export class StreamUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StreamUnavailableError";
  }
}

/** The person stopped the streamed message on the platform: nothing more may be appended to it. */
export class StreamStoppedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StreamStoppedError";
  }
}

/** The clock the renderer throttles with; tests inject a fake one. */
export interface RenderClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const systemClock: RenderClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
