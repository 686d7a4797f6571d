// Reply event streams for tests: one fed by hand while the renderer runs, one from a fixed list.
import type { ReplyEvent } from "../../../src/types.ts";

/** A stream the test pushes events into while the renderer reads it. */
export interface EventQueue extends AsyncIterable<ReplyEvent> {
  push(event: ReplyEvent): void;
  /** Ends the stream (after `done` or `error`, as the engine does). */
  end(): void;
}

/** Creates an empty hand-fed stream. */
export function createEventQueue(): EventQueue {
  const buffered: ReplyEvent[] = [];
  let ended = false;
  let waiting: ((result: IteratorResult<ReplyEvent>) => void) | undefined;

  const deliver = (): void => {
    if (!waiting) return;
    const event = buffered.shift();
    if (event !== undefined) {
      const wake = waiting;
      waiting = undefined;
      wake({ done: false, value: event });
    } else if (ended) {
      const wake = waiting;
      waiting = undefined;
      wake({ done: true, value: undefined });
    }
  };

  return {
    push(event) {
      buffered.push(event);
      deliver();
    },
    end() {
      ended = true;
      deliver();
    },
    [Symbol.asyncIterator]() {
      return {
        next: () =>
          new Promise<IteratorResult<ReplyEvent>>((resolve) => {
            waiting = resolve;
            deliver();
          }),
      };
    },
  };
}

/** A stream of fixed events, each delivered asynchronously as a real engine would. */
export async function* eventsOf(events: readonly ReplyEvent[]): AsyncGenerator<ReplyEvent> {
  for (const event of events) {
    await Promise.resolve();
    yield event;
  }
}

/** The deltas of `text` cut into pieces of `pieceLength` characters. */
export function textDeltas(text: string, pieceLength: number): ReplyEvent[] {
  const events: ReplyEvent[] = [];
  for (let start = 0; start < text.length; start += pieceLength) {
    events.push({ type: "text", delta: text.slice(start, start + pieceLength) });
  }
  return events;
}
