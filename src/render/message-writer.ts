// Posts and edits a reply's messages in order: formats them, skips unchanged text, spaces edits, catches failures.
import type { FormatText } from "./split.ts";
import type { PostedMessage, RenderClock, ReplySurface } from "./surface.ts";

/** What became of one write: shown, or refused by the platform. */
export type WriteResult = "ok" | "edit_failed" | "post_failed";

interface WrittenMessage {
  posted: PostedMessage;
  /** The formatted text the platform holds. */
  shownText: string;
  /** When the last post or edit of this message started. */
  lastWriteAtMs: number;
}

/** The messages of one reply and the only code that writes them. */
export interface MessageWriter {
  /** Shows `markdown` as message `index`: posts it when it is the next new message, else edits if changed. */
  show(index: number, markdown: string): Promise<WriteResult>;
  /** Milliseconds until the last message may be edited again (0 when it may be now, or there is none). */
  msUntilEditable(): number;
  /** How many messages were posted. */
  count(): number;
  /** The posted messages, in order. */
  messages(): PostedMessage[];
  /** The formatted text each message holds, in order. */
  shownTexts(): string[];
  /** The first error the platform threw, for the adapter's logs. */
  firstError(): unknown;
}

/** Creates the writer for one reply; edits of one message are spaced by `surface.editIntervalMs`. */
export function createMessageWriter(
  surface: ReplySurface,
  clock: RenderClock,
  format: FormatText,
): MessageWriter {
  const written: WrittenMessage[] = [];
  let firstError: unknown;
  const fail = (error: unknown, result: WriteResult): WriteResult => {
    firstError ??= error;
    return result;
  };

  const msUntilEditableAt = (message: WrittenMessage): number =>
    Math.max(0, message.lastWriteAtMs + surface.editIntervalMs - clock.now());

  async function show(index: number, markdown: string): Promise<WriteResult> {
    const text = format(markdown);
    const message = written[index];
    if (!message) {
      if (index !== written.length) throw new RangeError(`message ${index} posted before ${written.length}`);
      const startedAtMs = clock.now();
      try {
        const posted = await surface.post(text);
        written.push({ posted, shownText: text, lastWriteAtMs: startedAtMs });
        return "ok";
      } catch (error) {
        return fail(error, "post_failed");
      }
    }
    if (message.shownText === text) return "ok";
    const waitMs = msUntilEditableAt(message);
    if (waitMs > 0) await clock.sleep(waitMs);
    message.lastWriteAtMs = clock.now();
    try {
      await surface.edit(message.posted, text);
      message.shownText = text;
      return "ok";
    } catch (error) {
      return fail(error, "edit_failed");
    }
  }

  return {
    show,
    msUntilEditable: () => {
      const last = written.at(-1);
      return last ? msUntilEditableAt(last) : 0;
    },
    count: () => written.length,
    messages: () => written.map((message) => message.posted),
    shownTexts: () => written.map((message) => message.shownText),
    firstError: () => firstError,
  };
}
