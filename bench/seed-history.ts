// Fills conversations with stored messages through parley's own store code, before the turns that read them.
import { countMessageTokens } from "../src/context/count-tokens.ts";
import { CONVERSATION_TTL_MS, type StoredMessage } from "../src/store/history.ts";
import { openStores } from "../src/store/open-stores.ts";

/** A stored exchange of ordinary length: about 30 tokens a question, 90 an answer. */
const QUESTION =
  "Alice: could you explain once more how the release train decides which fixes ship this week?";
const ANSWER =
  "Fixes merged before the Tuesday cut ship with that week's train; anything later waits for the next one " +
  "unless it is marked urgent, in which case the release captain may pick it for a patch release after the " +
  "checks pass. The schedule and the current captain are listed on the release page.";

/**
 * Appends `count` alternating questions and answers to each conversation in one atomic append, with a limit of
 * `count` so the store really holds them all (parley itself keeps at most MAX_STORED_MESSAGES when it appends).
 */
export async function seedHistory(
  storeUrl: string,
  ids: string[],
  count: number,
  model: string,
): Promise<void> {
  const question = { role: "user", content: QUESTION, tokens: countMessageTokens(QUESTION) } as const;
  const answer = { role: "assistant", content: ANSWER, tokens: countMessageTokens(ANSWER) } as const;
  const messages: StoredMessage[] = Array.from({ length: count }, (_, index) =>
    index % 2 === 0 ? question : answer,
  );
  const stores = await openStores(storeUrl);
  try {
    for (const id of ids) {
      await stores.history.append(id, messages, { model, maxMessages: count, ttlMs: CONVERSATION_TTL_MS });
      const stored = await stores.history.read(id, count);
      if (stored?.messages.length !== count) {
        throw new Error(
          `seeding ${id}: the store holds ${stored?.messages.length ?? 0} messages, not ${count}`,
        );
      }
    }
  } finally {
    await stores.close();
  }
}
