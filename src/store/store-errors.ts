// The user-facing errors of a store that could not be reached: one sentence each, the cause kept for logs.
import { ParleyError } from "../errors.ts";

/** What a user hears when parley did not answer because its store is unreachable. */
export const STORE_DOWN_MESSAGE =
  "parley could not read this conversation's memory, so it did not answer — try again shortly.";

/** A turn that could not read its conversation's history (or settings), so it did not ask the provider. */
export function historyUnreadable(cause: unknown): ParleyError {
  return new ParleyError("store_unavailable", STORE_DOWN_MESSAGE, { cause });
}

/** A command (/model, /reset, /usage) whose store request failed. */
export function storeUnreachable(cause: unknown): ParleyError {
  return new ParleyError(
    "store_unavailable",
    "parley could not reach its memory store, so nothing was changed — try again shortly.",
    { cause },
  );
}

/** Shown under an answer that was delivered but could not be written to the conversation's history. */
export const ANSWER_NOT_SAVED_NOTE = "This answer could not be saved to the conversation's memory.";
