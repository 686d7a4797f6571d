// Checks on split messages that mirror what a reader would notice: broken code blocks, lost or cut words.

const FENCE_MARKER = /^ {0,3}(`{3,}|~{3,})/;

/** The lines of a message that open or close a code block. */
export function fenceLines(message: string): string[] {
  return message.split("\n").filter((line) => FENCE_MARKER.test(line));
}

/** True when the message closes every code block it opens (the fixtures never nest fences). */
export function fencesBalanced(message: string): boolean {
  return fenceLines(message).length % 2 === 0;
}

/**
 * Puts the original text back together from its chunks, dropping only fence lines the splitter added at a
 * chunk's start or end, and the whitespace it dropped between chunks. Throws when a chunk is not the next
 * piece of the original.
 */
export function reassemble(original: string, chunks: readonly string[]): string {
  let offset = 0;
  let rebuilt = "";
  for (const chunk of chunks) {
    const lines = chunk.split("\n");
    const first = lines[0] ?? "";
    const last = lines.at(-1) ?? "";
    const variants = [chunk];
    if (FENCE_MARKER.test(first)) variants.push(lines.slice(1).join("\n"));
    if (FENCE_MARKER.test(last)) variants.push(lines.slice(0, -1).join("\n"));
    if (FENCE_MARKER.test(first) && FENCE_MARKER.test(last)) variants.push(lines.slice(1, -1).join("\n"));
    const match = variants
      .map((variant) => ({ variant, at: original.indexOf(variant, offset) }))
      .find(({ variant, at }) => variant !== "" && at >= 0 && original.slice(offset, at).trim() === "");
    if (!match) throw new Error(`chunk is not the next piece of the original:\n${chunk.slice(0, 200)}`);
    rebuilt += original.slice(offset, match.at + match.variant.length);
    offset = match.at + match.variant.length;
  }
  if (original.slice(offset).trim() !== "") throw new Error("text after the last chunk was lost");
  return rebuilt + original.slice(offset);
}

/** The whitespace-separated words of a text. */
export function wordsOf(text: string): string[] {
  return text.split(/\s+/).filter((word) => word !== "");
}
