// Token counting with the o200k tokenizer the current OpenAI models use (a close estimate for the others).
import { countTokens as countO200kTokens } from "gpt-tokenizer";

/** Tokens a chat message costs beyond its text (role, separators). */
export const MESSAGE_OVERHEAD_TOKENS = 4;

/** Tokens of a text plus the per-message overhead. */
export function countMessageTokens(text: string): number {
  return countO200kTokens(text) + MESSAGE_OVERHEAD_TOKENS;
}
