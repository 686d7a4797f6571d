// Wraps the engine's reply stream: notes when text first arrives and how it ended, and can cut it short.
import { ParleyError } from "../errors.ts";
import { PolicyRefusal } from "../policy/refusal.ts";
import type { ReplyEvent, ReplyResult } from "../types.ts";

/** Shown under the text so far when parley shuts down before an answer was finished. */
export const INTERRUPTED_MESSAGE = "parley restarted before this answer was finished.";

/** What was seen of a stream so far. */
export interface StreamObservation {
  /** When the first text arrived, by the `now` clock given to `observeStream`. */
  firstTextAtMs?: number;
  /** The final result, when the stream ended well. */
  result?: ReplyResult;
  /** The ParleyError code, when the stream ended in an error (including an interruption). */
  errorCode?: string;
  /** What refused the turn, when policy did: a limit's name, or "access" for the allow-lists. */
  refusedBy?: string;
  /** True once `interrupt()` ended the stream. */
  interrupted: boolean;
}

/** A reply stream passed through unchanged, watched, and stoppable from outside. */
export interface ObservedStream {
  events: AsyncIterable<ReplyEvent>;
  observation: Readonly<StreamObservation>;
  /**
   * Ends the stream now with an "interrupted" error carrying the text so far, and returns the producer (the
   * engine's generator then aborts its provider request and releases the conversation). No effect once the
   * stream has given its `done` or `error`: what follows is the producer's own bookkeeping.
   */
  interrupt(userMessage?: string): boolean;
}

const END: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** Observes `source`; it may be iterated once. */
export function observeStream(source: AsyncIterable<ReplyEvent>, now: () => number): ObservedStream {
  const observation: StreamObservation = { interrupted: false };
  let iterator: AsyncIterator<ReplyEvent> | undefined;
  let text = "";
  let ended = false;
  let interruption: ReplyEvent | undefined;
  let deliverInterruption: ((result: IteratorResult<ReplyEvent>) => void) | undefined;
  const interrupted = new Promise<IteratorResult<ReplyEvent>>((resolve) => {
    deliverInterruption = resolve;
  });

  const observe = (event: ReplyEvent): void => {
    if (event.type === "text") {
      text += event.delta;
      if (observation.firstTextAtMs === undefined && event.delta !== "") observation.firstTextAtMs = now();
    } else if (event.type === "done") {
      observation.result = event.result;
      ended = true;
    } else if (event.type === "error") {
      observation.errorCode = event.error.code;
      if (event.error instanceof PolicyRefusal) observation.refusedBy = event.error.limit;
      else if (event.error.code === "access_denied") observation.refusedBy = "access";
      ended = true;
    }
  };

  const stopProducer = (): void => {
    try {
      // An async generator runs its `finally` once its pending step settles; nobody needs to wait for that here.
      if (iterator?.return) Promise.resolve(iterator.return()).catch(() => undefined);
    } catch {
      // The producer failed while stopping; nothing is waiting for it.
    }
  };

  const events: AsyncIterable<ReplyEvent> = {
    [Symbol.asyncIterator]() {
      iterator = source[Symbol.asyncIterator]();
      const open = iterator;
      let interruptionDelivered = false;
      return {
        async next() {
          if (interruption !== undefined) {
            if (interruptionDelivered) return END;
            interruptionDelivered = true;
            return { done: false, value: interruption };
          }
          const result = await Promise.race([open.next(), interrupted]);
          if (result.done) {
            ended = true;
            return result;
          }
          if (result.value === interruption) interruptionDelivered = true;
          else observe(result.value);
          return result;
        },
        async return() {
          ended = true;
          stopProducer();
          return END;
        },
      };
    },
  };

  return {
    events,
    observation,
    interrupt(userMessage = INTERRUPTED_MESSAGE) {
      if (ended || interruption !== undefined) return false;
      observation.interrupted = true;
      observation.errorCode = "interrupted";
      interruption = {
        type: "error",
        error: new ParleyError("interrupted", userMessage),
        partialText: text,
      };
      deliverInterruption?.({ done: false, value: interruption });
      stopProducer();
      return true;
    },
  };
}
