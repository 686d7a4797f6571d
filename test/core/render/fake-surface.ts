// A reply surface for tests that records every call with its time and keeps each message's current text.
import type { SharedBudget } from "../../../src/render/edit-pacer.ts";
import type { PostedMessage, RenderClock, ReplySurface } from "../../../src/render/surface.ts";

/** One call the renderer made on the surface. */
export interface SurfaceCall {
  kind: "post" | "edit" | "status" | "error";
  text: string;
  atMs: number;
  messageId?: string;
}

/** How the fake surface behaves. */
export interface FakeSurfaceOptions {
  clock: RenderClock;
  maxMessageLength?: number;
  editIntervalMs?: number;
  format?: (markdown: string) => string;
  withStatus?: boolean;
  withPostError?: boolean;
  /** Edits throw from this edit on (1 = the first edit). */
  failEditsFrom?: number;
  /** Posts throw from this post on (1 = the first post). */
  failPostsFrom?: number;
  /** The shared budget every write spends (none: unpaced). */
  budget?: SharedBudget;
}

/** The fake surface and what it saw. */
export interface RecordingSurface {
  surface: ReplySurface;
  calls: SurfaceCall[];
  /** The current text of each posted message, in posting order: what a user would see. */
  visibleTexts(): string[];
  /** True if two calls on one message were ever in flight at once. */
  overlapped(): boolean;
}

/** Creates a recording surface; its calls resolve on the next turn of the event loop, like a network call. */
export function createRecordingSurface(options: FakeSurfaceOptions): RecordingSurface {
  const calls: SurfaceCall[] = [];
  const texts = new Map<string, string>();
  const inFlight = new Set<string>();
  let overlapped = false;
  let posts = 0;
  let edits = 0;
  const networkTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  const surface: ReplySurface = {
    maxMessageLength: options.maxMessageLength ?? 2000,
    editIntervalMs: options.editIntervalMs ?? 1000,
    async post(text) {
      posts++;
      calls.push({ kind: "post", text, atMs: options.clock.now() });
      if (options.failPostsFrom !== undefined && posts >= options.failPostsFrom)
        throw new Error("post refused");
      await networkTurn();
      const message: PostedMessage = { id: `m${posts}` };
      texts.set(message.id, text);
      return message;
    },
    async edit(message, text) {
      edits++;
      calls.push({ kind: "edit", text, atMs: options.clock.now(), messageId: message.id });
      if (inFlight.has(message.id)) overlapped = true;
      inFlight.add(message.id);
      await networkTurn();
      inFlight.delete(message.id);
      if (options.failEditsFrom !== undefined && edits >= options.failEditsFrom)
        throw new Error("edit refused");
      texts.set(message.id, text);
    },
  };
  if (options.format) surface.format = options.format;
  if (options.budget) {
    const budget = options.budget;
    surface.budgetFor = () => budget;
  }
  if (options.withStatus) {
    surface.showStatus = async (text) => {
      calls.push({ kind: "status", text, atMs: options.clock.now() });
    };
  }
  if (options.withPostError) {
    surface.postError = async (text) => {
      calls.push({ kind: "error", text, atMs: options.clock.now() });
    };
  }
  return { surface, calls, visibleTexts: () => [...texts.values()], overlapped: () => overlapped };
}
