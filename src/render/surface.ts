// The small surface each adapter implements so the shared renderer can post and edit its messages.
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
