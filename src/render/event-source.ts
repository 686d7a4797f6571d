// Reads reply events one at a time as results that never reject, so a failing stream cannot go unhandled.
import type { ReplyEvent } from "../types.ts";

/** One read from the stream: an event, its end, or what it threw. */
export type PulledEvent =
  | { kind: "event"; event: ReplyEvent }
  | { kind: "end" }
  | { kind: "failed"; error: unknown };

/** A reply stream read by hand, so reading can race a timer. */
export interface EventSource {
  /** The next event; never rejects. */
  next(): Promise<PulledEvent>;
  /** Tells the producer to stop (a generator runs its `finally`); never waits and never throws. */
  stop(): void;
}

/** Opens `events` for reading one event at a time. */
export function openEventSource(events: AsyncIterable<ReplyEvent>): EventSource {
  let iterator: AsyncIterator<ReplyEvent> | undefined;
  let openError: unknown;
  try {
    iterator = events[Symbol.asyncIterator]();
  } catch (error) {
    openError = error;
  }

  return {
    next: async () => {
      if (!iterator) return { kind: "failed", error: openError };
      try {
        const result = await iterator.next();
        return result.done ? { kind: "end" } : { kind: "event", event: result.value };
      } catch (error) {
        return { kind: "failed", error };
      }
    },
    stop: () => {
      try {
        if (iterator?.return) Promise.resolve(iterator.return()).catch(() => undefined);
      } catch {
        // The producer failed while stopping; nothing is waiting for it.
      }
    },
  };
}

/** A source that gives `pulled` again first (events another renderer read before handing the reply over), then `rest`. */
export function replayThen(pulled: readonly PulledEvent[], rest: EventSource): EventSource {
  const queue = [...pulled];
  return {
    next: async () => queue.shift() ?? rest.next(),
    stop: () => rest.stop(),
  };
}

/** Reads the rest of a finished stream in the background, so the producer's code after `done` still runs. */
export async function drain(source: EventSource): Promise<void> {
  for (;;) {
    const pulled = await source.next();
    if (pulled.kind !== "event") return;
  }
}
