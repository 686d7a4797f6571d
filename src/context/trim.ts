// Fits a conversation into a model's context window: system prompt always kept, oldest turns dropped first.
import { badInput } from "../errors.ts";
import type { ChatMessage } from "../llm/build-request.ts";
import type { StoredMessage } from "./conversation-store.ts";
import { countMessageTokens, loadExactCounting } from "./count-tokens.ts";

/** Tokens kept free for reply priming and estimate error. */
const SAFETY_MARGIN_TOKENS = 256;

/** Tokens an image input is assumed to cost (a high-detail tile set is about this). */
export const IMAGE_INPUT_TOKENS = 1_000;

/** The messages to send: system prompt, the newest history that fits, then the current user message. */
export function trimToWindow(input: {
  systemPrompt: string;
  history: readonly StoredMessage[];
  current: ChatMessage;
  contextWindowTokens: number;
  outputBudgetTokens: number;
}): { messages: ChatMessage[]; droppedMessages: number } {
  const systemTokens = countMessageTokens(input.systemPrompt);
  const currentTokens =
    countMessageTokens(input.current.content) + (input.current.imageUrls?.length ?? 0) * IMAGE_INPUT_TOKENS;
  let budget =
    input.contextWindowTokens -
    input.outputBudgetTokens -
    SAFETY_MARGIN_TOKENS -
    systemTokens -
    currentTokens;
  if (budget < 0) {
    throw badInput("That message is too long for this model's context window; please shorten it.");
  }
  const kept: ChatMessage[] = [];
  let index = input.history.length - 1;
  for (; index >= 0; index -= 1) {
    const message = input.history[index];
    if (!message || message.tokens > budget) break;
    budget -= message.tokens;
    kept.push({ role: message.role, content: message.content });
  }
  // Never open the window on an orphaned assistant reply.
  if (kept.at(-1)?.role === "assistant") kept.pop();
  kept.reverse();
  return {
    messages: [{ role: "system", content: input.systemPrompt }, ...kept, input.current],
    droppedMessages: input.history.length - kept.length,
  };
}

/**
 * `trimToWindow`, counting exactly only where it matters. The history's stored counts are never below the real ones
 * (bounds, when exact counting was not loaded as they were saved): while they fit the window whole, the answer is
 * the same as an exact count's and no tokenizer is needed. When they would drop a message or not fit at all, the
 * tokenizer is loaded and every message counted exactly before trimming for real.
 */
export async function fitToWindow(
  input: Parameters<typeof trimToWindow>[0],
): Promise<ReturnType<typeof trimToWindow>> {
  try {
    const whole = trimToWindow(input);
    if (whole.droppedMessages === 0) return whole;
  } catch {
    // Too long by the stored counts: the exact count decides.
  }
  await loadExactCounting();
  const history = input.history.map((message) => ({
    ...message,
    tokens: countMessageTokens(message.content),
  }));
  return trimToWindow({ ...input, history });
}
