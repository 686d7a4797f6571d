// Each conversation's history in keyv: bounded in messages and tokens, written once per finished exchange.
import type Keyv from "keyv";
import { type ConversationKey, conversationId } from "../types.ts";
import { countMessageTokens } from "./count-tokens.ts";

/** A message as stored: text only, with its token count so trimming never recounts. */
export interface StoredMessage {
  role: "user" | "assistant";
  content: string;
  tokens: number;
}

/** One conversation's persisted state. */
export interface StoredConversation {
  /** The model of the last exchange; mentions and follow-ups continue with it. */
  model?: string;
  messages: StoredMessage[];
  updatedAtMs: number;
}

/** Most messages kept per conversation. */
export const MAX_STORED_MESSAGES = 200;
/** Most tokens kept per conversation (the largest window parley uses is trimmed per request anyway). */
export const MAX_STORED_TOKENS = 300_000;
/** Conversations untouched this long are forgotten. */
const CONVERSATION_TTL_MS = 90 * 24 * 60 * 60 * 1000;

/** Reads and writes conversation histories. */
export class ConversationStore {
  private readonly keyv: Keyv;

  constructor(keyv: Keyv) {
    this.keyv = keyv;
  }

  /** The stored conversation, or undefined when parley never answered there. */
  async load(key: ConversationKey): Promise<StoredConversation | undefined> {
    return (await this.keyv.get<StoredConversation>(conversationId(key))) ?? undefined;
  }

  /** Appends one exchange and drops the oldest messages beyond the bounds. */
  async appendExchange(
    key: ConversationKey,
    exchange: { user: string; assistant: string; model: string },
  ): Promise<void> {
    const conversation = (await this.load(key)) ?? { messages: [], updatedAtMs: 0 };
    const messages = [
      ...conversation.messages,
      { role: "user" as const, content: exchange.user, tokens: countMessageTokens(exchange.user) },
      {
        role: "assistant" as const,
        content: exchange.assistant,
        tokens: countMessageTokens(exchange.assistant),
      },
    ];
    let totalTokens = messages.reduce((sum, message) => sum + message.tokens, 0);
    let start = Math.max(0, messages.length - MAX_STORED_MESSAGES);
    while (start < messages.length - 2 && totalTokens > MAX_STORED_TOKENS) {
      totalTokens -= messages[start]?.tokens ?? 0;
      start += 1;
    }
    // Keep whole exchanges: a history starts with a user message.
    if (messages[start]?.role === "assistant") start += 1;
    await this.keyv.set(
      conversationId(key),
      { model: exchange.model, messages: messages.slice(start), updatedAtMs: Date.now() },
      CONVERSATION_TTL_MS,
    );
  }

  /** Marks a thread as parley's as soon as its first turn starts, so follow-ups are answered even while (or
   *  after) that first answer streams or fails. */
  async open(key: ConversationKey, model: string): Promise<void> {
    await this.keyv.set(
      conversationId(key),
      { model, messages: [], updatedAtMs: Date.now() },
      CONVERSATION_TTL_MS,
    );
  }

  /** Forgets a conversation's messages (/reset), keeping the thread parley's; false when there was nothing. */
  async forget(key: ConversationKey): Promise<boolean> {
    const conversation = await this.load(key);
    if (!conversation) return false;
    await this.keyv.set(conversationId(key), { messages: [], updatedAtMs: Date.now() }, CONVERSATION_TTL_MS);
    return conversation.messages.length > 0;
  }
}
