// Keeps a streaming answer's messages stable: a chunk that overflowed is fixed, only the last message changes.
import type { SettledChunks } from "./layout.ts";
import { type FormatText, startCursor, takeChunk, takeFittingChunk } from "./split.ts";

/** The messages of a streaming answer: fixed chunks, and the Markdown the last message should show now. */
export interface StreamLayout {
  settled: SettledChunks;
  /** The tail after the fixed chunks, its open fence closed for display ("" while it has no text yet). */
  live: string;
}

/** No text yet. */
export const emptySettledChunks: SettledChunks = { chunks: [], cursor: { offset: 0, fence: null } };

/**
 * True when the text reaches far enough past `from` that splitting before `from` cannot change as more
 * arrives: a complete line with content starts after a line break past it.
 */
function isSettledPast(text: string, from: number): boolean {
  const newline = text.indexOf("\n", from);
  if (newline === -1) return false;
  const content = text.slice(newline).search(/\S/);
  if (content === -1) return false;
  return text.indexOf("\n", newline + content) !== -1;
}

/**
 * Lays out the text streamed so far, keeping the chunks fixed earlier. A chunk is fixed only once the text runs
 * far enough past the limit that `splitMessage` on the finished text is sure to cut it the same way; until
 * then the last message shows the first chunk of its tail.
 */
export function layoutStreaming(
  text: string,
  settled: SettledChunks,
  maxLength: number,
  format: FormatText,
): StreamLayout {
  const chunks = [...settled.chunks];
  let cursor = chunks.length === 0 ? startCursor(text) : settled.cursor;
  for (;;) {
    const live = takeChunk(text, cursor, Number.POSITIVE_INFINITY).chunk;
    if (format(live).length <= maxLength) return { settled: { chunks, cursor }, live };
    const taken = takeFittingChunk(text, cursor, maxLength, format);
    if (!isSettledPast(text, cursor.offset + maxLength)) {
      return { settled: { chunks, cursor }, live: taken.chunk };
    }
    chunks.push(taken.chunk);
    cursor = taken.next;
  }
}
