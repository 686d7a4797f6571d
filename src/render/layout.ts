// Lays a finished reply out across messages: the body split at good points, then the footer kept whole.
import { type FormatText, type SplitCursor, splitFrom, splitMessage, startCursor } from "./split.ts";

/** Chunks already fixed while streaming, and where the text after them starts. */
export interface SettledChunks {
  chunks: readonly string[];
  cursor: SplitCursor;
}

const identity: FormatText = (markdown) => markdown;

/**
 * The Markdown of each message of a finished reply, each fitting `maxLength` after `format`. The footer follows
 * the body's last chunk after a blank line when it fits there, else starts a message of its own; a footer too long
 * for any one message is cut only between its lines, its first lines filling up the body's last message. With
 * `settled`, those chunks are kept and only the rest of `body` is split (what the renderer fixed while streaming).
 */
export function layoutReply(
  body: string,
  footer: string,
  maxLength: number,
  format: FormatText = identity,
  settled?: SettledChunks,
): string[] {
  const bodyChunks = settled
    ? [...settled.chunks, ...splitFrom(body, settled.cursor, maxLength, format)]
    : splitFrom(body, startCursor(body), maxLength, format);
  if (footer.trim() === "") return bodyChunks;
  const lastChunk = bodyChunks.at(-1);
  const fits = (text: string): boolean => format(text).length <= maxLength;
  if (lastChunk === undefined) return splitFooter(footer, maxLength, format);
  if (fits(`${lastChunk}\n\n${footer}`)) return [...bodyChunks.slice(0, -1), `${lastChunk}\n\n${footer}`];
  if (fits(footer)) return [...bodyChunks, footer];
  return [...bodyChunks.slice(0, -1), ...splitFooter(footer, maxLength, format, `${lastChunk}\n`)];
}

/**
 * Packs the footer's lines into as few messages as fit, the first one starting with `lead` when given; a single
 * line is cut only if it alone is too long for a message.
 */
export function splitFooter(
  footer: string,
  maxLength: number,
  format: FormatText = identity,
  lead = "",
): string[] {
  const fits = (text: string): boolean => format(text).length <= maxLength;
  const chunks: string[] = [];
  let current = lead;
  const finishCurrent = (): void => {
    if (current.trim() !== "") chunks.push(current.trimEnd());
    current = "";
  };
  for (const line of footer.split("\n")) {
    if (current === "" && line.trim() === "") continue;
    const extended = current === "" ? line : `${current}\n${line}`;
    if (fits(extended)) {
      current = extended;
      continue;
    }
    finishCurrent();
    if (line.trim() === "") continue;
    if (fits(line)) {
      current = line;
      continue;
    }
    const pieces = splitMessage(line, maxLength, format);
    chunks.push(...pieces.slice(0, -1));
    current = pieces.at(-1) ?? "";
  }
  finishCurrent();
  return chunks;
}
