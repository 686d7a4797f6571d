// Token counts: a bound that costs nothing, and the o200k tokenizer the current OpenAI models use (a close estimate
// for the others), loaded only when a count must be exact.
//
// The tokenizer's tables hold about 70 MB for the life of the process, while most turns never need them: a
// conversation whose bound fits the model's window is sent whole either way. Every o200k token is at least one
// byte of UTF-8, so the byte length bounds the count from above.

/** Tokens a chat message costs beyond its text (role, separators). */
export const MESSAGE_OVERHEAD_TOKENS = 4;

type CountTokens = (text: string) => number;

let exactCount: CountTokens | undefined;

/** True once exact counting is loaded: `countMessageTokens` is exact from then on. */
export function countsExactly(): boolean {
  return exactCount !== undefined;
}

/** Loads the tokenizer (once per process) so counts are exact from now on. */
export async function loadExactCounting(): Promise<void> {
  if (exactCount) return;
  const { countTokens } = await import("gpt-tokenizer/encoding/o200k_base");
  // Text that spells a special token ("<|endoftext|>") is counted as the text it is, never refused.
  const noSpecialTokens = { disallowedSpecial: new Set<string>() };
  exactCount = (text) => countTokens(text, noSpecialTokens);
}

/**
 * Tokens of a text plus the per-message overhead: exact once `loadExactCounting` ran, before that an upper bound
 * (the text's UTF-8 length), never fewer than the tokens the text really costs.
 */
export function countMessageTokens(text: string): number {
  return (exactCount ? exactCount(text) : Buffer.byteLength(text, "utf8")) + MESSAGE_OVERHEAD_TOKENS;
}
