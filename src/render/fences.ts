// Recognises Markdown code fences line by line, so a split can close a fence and reopen it with its language.

/** A code fence left open: the line that opened it (```ts) and the line that closes it (```). */
export interface OpenFence {
  openLine: string;
  closeLine: string;
}

/** An opening or closing fence line: up to 3 spaces, then 3+ backticks or tildes, then an info string. */
const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/** True when the line is a fence marker (opening or closing), which must never be cut in the middle. */
export function isFenceLine(line: string): boolean {
  return FENCE_LINE.test(line.trimEnd());
}

/** The fence open after one more line of Markdown, given the fence open before it. */
export function fenceAfterLine(open: OpenFence | null, line: string): OpenFence | null {
  const match = FENCE_LINE.exec(line.trimEnd());
  if (!match) return open;
  const marks = match[1] ?? "";
  const info = (match[2] ?? "").trim();
  if (open === null) {
    // CommonMark: a backtick fence's info string cannot hold a backtick (that line is inline code instead).
    if (marks.startsWith("`") && info.includes("`")) return null;
    return { openLine: marks + info, closeLine: marks };
  }
  const closes = marks[0] === open.closeLine[0] && marks.length >= open.closeLine.length && info === "";
  return closes ? null : open;
}

/** The fence still open at `end` after reading `text` from `start` with `open` already open there. */
export function fenceAt(text: string, start: number, end: number, open: OpenFence | null): OpenFence | null {
  let fence = open;
  let lineStart = start;
  for (;;) {
    const newline = text.indexOf("\n", lineStart);
    if (newline === -1 || newline >= end) return fenceAfterLine(fence, text.slice(lineStart, end));
    fence = fenceAfterLine(fence, text.slice(lineStart, newline));
    lineStart = newline + 1;
  }
}

/** Closes a code fence left open at the end of a partial answer, so a streaming message shows it as code. */
export function closeOpenFence(partial: string): string {
  const trimmed = partial.trimEnd();
  const open = fenceAt(trimmed, 0, trimmed.length, null);
  return open ? `${trimmed}\n${open.closeLine}` : trimmed;
}
