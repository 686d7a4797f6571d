// Each conversation's history: one atomic append per finished exchange, and a read of its bounded recent tail.
import type { HistoryStore, StoredMessage } from "../store/history.ts";
import type { ConversationLease } from "../store/locks.ts";
import { type ConversationKey, conversationId } from "../types.ts";
import { countMessageTokens } from "./count-tokens.ts";

export type { StoredMessage };

/** One conversation's persisted state, as a turn sees it. */
export interface StoredConversation {
  /** The model of the last exchange (a record for operators: routing follows the thread's or channel's /model). */
  model?: string;
  messages: StoredMessage[];
  updatedAtMs: number;
}

/** Most messages kept per conversation (older ones are dropped when an exchange is appended). */
export const MAX_STORED_MESSAGES = 200;
/**
 * Most tokens of history a turn reads, by the counts stored with the messages (the window is fitted per request
 * anyway). A stored count may be the message's UTF-8 length (see count-tokens.ts), about four times its tokens in
 * English: the bound leaves room for 300,000 real tokens even then.
 */
export const MAX_STORED_TOKENS = 1_200_000;

/** Reads and writes conversation histories; every method rejects when the store fails. */
export class ConversationStore {
  private readonly history: HistoryStore;
  private readonly ttlMs: number;

  /** `retentionMs`: a conversation is forgotten this long after its last turn (RETENTION_DAYS). */
  constructor(history: HistoryStore, options: { retentionMs: number }) {
    this.history = history;
    this.ttlMs = options.retentionMs;
  }

  /** The stored conversation, or undefined when parley never answered there. Rejects when the store fails. */
  async load(key: ConversationKey): Promise<StoredConversation | undefined> {
    const record = await this.history.read(conversationId(key), MAX_STORED_MESSAGES);
    if (!record) return undefined;
    return { ...record, messages: withinTokenBound(record.messages) };
  }

  /** True when parley opened this conversation (reads no messages). Rejects when the store fails. */
  async has(key: ConversationKey): Promise<boolean> {
    return (await this.history.read(conversationId(key), 0)) !== undefined;
  }

  /**
   * Appends one exchange atomically (older messages beyond the bound are dropped in the same step).
   * With a lease, writes only while it still holds the conversation's lock: false means nothing was written.
   */
  async appendExchange(
    key: ConversationKey,
    exchange: { user: string; assistant: string; model: string },
    lease?: ConversationLease,
  ): Promise<boolean> {
    const messages: StoredMessage[] = [
      { role: "user", content: exchange.user, tokens: countMessageTokens(exchange.user) },
      { role: "assistant", content: exchange.assistant, tokens: countMessageTokens(exchange.assistant) },
    ];
    return this.history.append(conversationId(key), messages, {
      model: exchange.model,
      maxMessages: MAX_STORED_MESSAGES,
      ttlMs: this.ttlMs,
      ...(lease ? { fence: lease } : {}),
    });
  }

  /** Marks a thread as parley's as soon as its first turn starts, so follow-ups are answered even while (or
   *  after) that first answer streams or fails. Keeps any messages. */
  async open(key: ConversationKey, model: string, startedBy?: string): Promise<void> {
    await this.history.open(conversationId(key), model, this.ttlMs, startedBy);
  }

  /** Deletes the conversations one person (`platform:workspace:user`) started; resolves to how many. */
  async forgetStartedBy(startedBy: string): Promise<number> {
    return this.history.forgetStartedBy(startedBy);
  }

  /** Forgets a conversation's messages (/reset), keeping the thread parley's; false when there was nothing. */
  async forget(key: ConversationKey): Promise<boolean> {
    // Reading first also brings a conversation stored by an earlier release into the current layout.
    if (!(await this.has(key))) return false;
    return this.history.clear(conversationId(key), this.ttlMs);
  }
}

/** The newest messages within MAX_STORED_TOKENS, starting with a user message so exchanges stay whole. */
function withinTokenBound(messages: StoredMessage[]): StoredMessage[] {
  let totalTokens = messages.reduce((sum, message) => sum + message.tokens, 0);
  let start = 0;
  while (start < messages.length - 2 && totalTokens > MAX_STORED_TOKENS) {
    totalTokens -= messages[start]?.tokens ?? 0;
    start += 1;
  }
  while (messages[start]?.role === "assistant") start += 1;
  return start === 0 ? messages : messages.slice(start);
}
