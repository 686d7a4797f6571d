// Splits Markdown into messages that fit a length limit: at paragraphs, then lines, then spaces, fences kept valid.
import { fenceAfterLine, fenceAt, isFenceLine, type OpenFence } from "./fences.ts";

export { closeOpenFence } from "./fences.ts";

/** Turns Markdown into the platform's text; the length limit applies to its output. */
export type FormatText = (markdown: string) => string;

/** Where the next chunk of a text starts: an offset into it and the code fence open there. */
export interface SplitCursor {
  offset: number;
  fence: OpenFence | null;
}

/** One chunk cut from a text (fences closed and reopened as needed) and where the rest begins. */
export interface TakenChunk {
  chunk: string;
  next: SplitCursor;
}

/** A place to end a chunk: the chunk's content ends at `end`, the next one starts at `next.offset`. */
interface SplitPoint {
  end: number;
  next: SplitCursor;
}

// Preference order of split points; lower is better.
const PARAGRAPH = 0;
const LINE = 1;
const SPACE = 2;
/** Cuts a fence line, or leaves an empty code block on one side: better than cutting a word, worse than all else. */
const AWKWARD = 3;

const identity: FormatText = (markdown) => markdown;

function isWhitespace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** End of the whitespace run starting at `from`. */
function whitespaceEnd(text: string, from: number): number {
  let index = from;
  while (index < text.length && isWhitespace(text.charCodeAt(index))) index++;
  return index;
}

/** Where content resumes after the whitespace run at `from`: after its last line break (keeping indentation). */
function afterSeparator(text: string, from: number): number {
  const runEnd = whitespaceEnd(text, from);
  const lastNewline = text.lastIndexOf("\n", runEnd - 1);
  return lastNewline >= from ? lastNewline + 1 : runEnd;
}

/** Index just past the last non-whitespace character at or after `start` (or `start` when there is none). */
function contentEndOf(text: string, start: number): number {
  let end = text.length;
  while (end > start && isWhitespace(text.charCodeAt(end - 1))) end--;
  return end;
}

function closingLength(fence: OpenFence | null): number {
  return fence ? fence.closeLine.length + 1 : 0;
}

function assemble(text: string, start: number, opening: OpenFence | null, point: SplitPoint): string {
  const head = opening ? `${opening.openLine}\n` : "";
  const tail = point.next.fence ? `\n${point.next.fence.closeLine}` : "";
  return head + text.slice(start, point.end) + tail;
}

/** The cursor at the start of a text: past leading blank lines, keeping the first line's indentation. */
export function startCursor(text: string): SplitCursor {
  const runEnd = whitespaceEnd(text, 0);
  if (runEnd === text.length) return { offset: text.length, fence: null };
  const lastNewline = text.lastIndexOf("\n", runEnd - 1);
  return { offset: lastNewline + 1, fence: null };
}

/**
 * Cuts the next chunk of at most `budget` characters (reopened and closed fence lines included) from `cursor`.
 * Its choice depends only on the text within the budget and the whitespace right after it.
 */
export function takeChunk(text: string, cursor: SplitCursor, budget: number): TakenChunk {
  const start = cursor.offset;
  const contentEnd = contentEndOf(text, start);
  if (contentEnd === start) return { chunk: "", next: { offset: text.length, fence: cursor.fence } };
  const openingLength = cursor.fence ? cursor.fence.openLine.length + 1 : 0;
  if (openingLength + (contentEnd - start) <= budget) {
    const whole = {
      end: contentEnd,
      next: { offset: text.length, fence: fenceAt(text, start, contentEnd, cursor.fence) },
    };
    if (openingLength + (contentEnd - start) + closingLength(whole.next.fence) <= budget) {
      return { chunk: assemble(text, start, cursor.fence, whole), next: whole.next };
    }
  }
  const point =
    bestSplitPoint(text, cursor, budget - openingLength, contentEnd) ?? hardCut(text, cursor, budget);
  return { chunk: assemble(text, start, cursor.fence, point), next: point.next };
}

/** The best place to end a chunk whose content may span `room` characters, or undefined when no space fits. */
function bestSplitPoint(
  text: string,
  cursor: SplitCursor,
  room: number,
  contentEnd: number,
): SplitPoint | undefined {
  const start = cursor.offset;
  const halfway = start + Math.floor(room / 2);
  const latestByRank: (SplitPoint | undefined)[] = [];
  const latestAnywhere: (SplitPoint | undefined)[] = [];
  let fenceBeforeLine = cursor.fence;
  let lineStart = start;
  const scanEnd = Math.min(contentEnd, start + room + 1);
  for (let index = start + 1; index < scanEnd; index++) {
    const code = text.charCodeAt(index);
    if (!isWhitespace(code)) continue;
    if (!isWhitespace(text.charCodeAt(index - 1))) {
      const line = text.slice(lineStart, index);
      const fenceHere = fenceAfterLine(fenceBeforeLine, line);
      if (index - start + closingLength(fenceHere) <= room) {
        const runEnd = whitespaceEnd(text, index);
        const run = text.slice(index, runEnd);
        const newlines = run.split("\n").length - 1;
        const next = { offset: afterSeparator(text, index), fence: fenceHere };
        const rank = rankOf(text, { line, newlines, fenceBeforeLine, fenceHere, nextOffset: next.offset });
        const point = { end: index, next };
        latestAnywhere[rank] = point;
        if (index >= halfway) latestByRank[rank] = point;
      }
    }
    if (code === 10) {
      fenceBeforeLine = fenceAfterLine(fenceBeforeLine, text.slice(lineStart, index));
      lineStart = index + 1;
    }
  }
  return (
    latestByRank[PARAGRAPH] ??
    latestByRank[LINE] ??
    latestByRank[SPACE] ??
    latest(latestAnywhere[PARAGRAPH], latestAnywhere[LINE], latestAnywhere[SPACE]) ??
    latestAnywhere[AWKWARD]
  );
}

function latest(...points: (SplitPoint | undefined)[]): SplitPoint | undefined {
  let best: SplitPoint | undefined;
  for (const point of points) if (point && (!best || point.end > best.end)) best = point;
  return best;
}

interface SplitContext {
  /** The line up to the split point. */
  line: string;
  /** Line breaks in the whitespace run at the split point. */
  newlines: number;
  fenceBeforeLine: OpenFence | null;
  fenceHere: OpenFence | null;
  nextOffset: number;
}

function rankOf(text: string, context: SplitContext): number {
  const { line, newlines, fenceBeforeLine, fenceHere, nextOffset } = context;
  if (newlines === 0) return isFenceLine(line) ? AWKWARD : SPACE;
  if (fenceHere !== null) {
    // Ending right after the opening line, or right before the closing line, leaves an empty code block.
    if (fenceBeforeLine === null) return AWKWARD;
    const nextLineEnd = text.indexOf("\n", nextOffset);
    const nextLine = text.slice(nextOffset, nextLineEnd === -1 ? text.length : nextLineEnd);
    if (fenceAfterLine(fenceHere, nextLine) === null) return AWKWARD;
    // A blank line inside code is not a paragraph break.
    return LINE;
  }
  return newlines >= 2 ? PARAGRAPH : LINE;
}

/** Cuts inside a word that is longer than the whole budget, never between the halves of a surrogate pair. */
function hardCut(text: string, cursor: SplitCursor, budget: number): SplitPoint {
  const start = cursor.offset;
  const openingLength = cursor.fence ? cursor.fence.openLine.length + 1 : 0;
  let end = start + budget - openingLength;
  let fence = fenceAt(text, start, end, cursor.fence);
  if (fence) {
    end -= closingLength(fence);
    fence = fenceAt(text, start, end, cursor.fence);
  }
  if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
  if (end <= start) {
    // The budget cannot even hold the fence lines: make progress anyway.
    end = start + (isHighSurrogate(text.charCodeAt(start)) ? 2 : 1);
    fence = fenceAt(text, start, end, cursor.fence);
  }
  const next = isWhitespace(text.charCodeAt(end)) ? afterSeparator(text, end) : end;
  return { end, next: { offset: next, fence } };
}

/** Like `takeChunk`, but shrinks the budget until the formatted chunk fits `maxLength`. */
export function takeFittingChunk(
  text: string,
  cursor: SplitCursor,
  maxLength: number,
  format: FormatText = identity,
): TakenChunk {
  let budget = maxLength;
  for (;;) {
    const taken = takeChunk(text, cursor, budget);
    const formattedLength = format(taken.chunk).length;
    if (formattedLength <= maxLength || budget <= 1) return taken;
    const overflow = formattedLength - maxLength;
    const proportional = Math.floor((taken.chunk.length * maxLength) / formattedLength);
    budget = Math.max(1, Math.min(budget - 1, Math.max(taken.chunk.length - overflow, proportional)));
  }
}

/** Splits the text from `cursor` on into chunks whose formatted text fits `maxLength`. */
export function splitFrom(
  text: string,
  cursor: SplitCursor,
  maxLength: number,
  format: FormatText = identity,
): string[] {
  const chunks: string[] = [];
  let position = cursor;
  while (position.offset < text.length) {
    const taken = takeFittingChunk(text, position, maxLength, format);
    if (taken.chunk !== "") chunks.push(taken.chunk);
    position = taken.next;
  }
  return chunks;
}

/**
 * Splits Markdown into chunks of at most `maxLength` characters (after `format`), preferring paragraph breaks,
 * then line breaks, then spaces; a word is cut only when it alone exceeds the limit. A code fence cut by a split
 * is closed at the end of its chunk and reopened with its language at the start of the next.
 */
export function splitMessage(markdown: string, maxLength: number, format: FormatText = identity): string[] {
  if (!(maxLength >= 1)) throw new RangeError(`maxLength must be at least 1, got ${maxLength}`);
  return splitFrom(markdown, startCursor(markdown), maxLength, format);
}
