// Where a streamed answer may be cut: pieces end anywhere but inside a word that could still become a mention,
// messages at a line break where there is one.

/** The offset just after the last whitespace in `text` from `from` on, or `from` when there is none. */
export function afterLastWhitespace(text: string, from: number): number {
  for (let index = text.length - 1; index >= from; index--) {
    if (/\s/.test(text[index] ?? "")) return index + 1;
  }
  return from;
}

/** Where to cut `text` so the first part holds at most `room` characters: a line break, else a space, else `room`. */
export function cutPoint(text: string, room: number): number {
  const window = text.slice(0, room);
  const lineBreak = window.lastIndexOf("\n");
  if (lineBreak > room / 2) return lineBreak + 1;
  const space = afterLastWhitespace(window, 0);
  return space > room / 2 ? space : Math.max(1, room);
}

/**
 * Where the next appended piece may end: all the text streamed so far, unless its last word could still grow into a
 * mention (`<@U1>`, `&lt;!here&gt;`, `@channel`), which waits for the whitespace after it. Each piece is made inert
 * on its own, so a mention must never be split between two of them; any other word may be.
 */
export function pieceEnd(text: string, from: number): number {
  const lastWord = afterLastWhitespace(text, from);
  return /[<&@]/.test(text.slice(lastWord)) ? lastWord : text.length;
}
