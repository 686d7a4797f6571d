// The history primitives each backend implements: an atomic, bounded append and a read of the recent tail.
import type { ConversationLease } from "./locks.ts";

/** How long a conversation stored by an earlier release without an expiry is kept after it is read. */
export const CONVERSATION_TTL_MS = 90 * 24 * 60 * 60 * 1000;

/** A message as stored: text only, with its token count so trimming never recounts. */
export interface StoredMessage {
  role: "user" | "assistant";
  content: string;
  tokens: number;
}

/** What a backend holds for one conversation. */
export interface HistoryRecord {
  /** The model of the last exchange (or the one the conversation was opened with). */
  model?: string;
  /** The most recent messages, oldest first, at most the `maxMessages` a read asked for. */
  messages: StoredMessage[];
  updatedAtMs: number;
}

/** Options of an append. */
export interface AppendOptions {
  model: string;
  /** Messages kept after the append; older ones are dropped in the same atomic step. */
  maxMessages: number;
  /** The conversation is forgotten this long after its last write. */
  ttlMs: number;
  /** When given, the append happens only while this lease still holds the conversation's lock. */
  fence?: ConversationLease;
}

/** Conversation histories, one per conversation id, written without reading the whole history back. */
export interface HistoryStore {
  /**
   * The conversation's last `maxMessages` messages (none for 0) and its model, or undefined when it was never
   * opened.
   */
  read(id: string, maxMessages: number): Promise<HistoryRecord | undefined>;
  /**
   * Adds `messages` at the end in one atomic step, trims to `maxMessages`, records the model and refreshes the
   * expiry. Returns false, writing nothing, when `fence` no longer holds the lock.
   */
  append(id: string, messages: readonly StoredMessage[], options: AppendOptions): Promise<boolean>;
  /**
   * Marks the conversation as parley's with its model, keeping any messages; `startedBy` (`platform:workspace:user`)
   * records who started it, for `forgetStartedBy`.
   */
  open(id: string, model: string, ttlMs: number, startedBy?: string): Promise<void>;
  /** Drops every message and the model, keeping the conversation marked as parley's; true when it had messages. */
  clear(id: string, ttlMs: number): Promise<boolean>;
  /** Deletes every conversation `startedBy` opened (messages and all); resolves to how many there were. */
  forgetStartedBy(startedBy: string): Promise<number>;
}
