// Reads conversations stored by earlier releases as one JSON value per conversation, so an upgrade loses nothing.
import type Keyv from "keyv";
import type { StoredMessage } from "./history.ts";

/** A conversation as earlier releases stored it: the whole history in one keyv value. */
export interface LegacyConversation {
  model?: string;
  messages: StoredMessage[];
  updatedAtMs: number;
}

/** A legacy conversation ready to be written in the current layout. */
export interface ImportedConversation {
  model?: string;
  messages: StoredMessage[];
  updatedAtMs: number;
  expiresAtMs: number;
}

/** The legacy conversation under `id`, or undefined when there is none (or it expired). Throws on store errors. */
export async function readLegacyConversation(
  legacy: Keyv,
  id: string,
  defaultTtlMs: number,
): Promise<ImportedConversation | undefined> {
  const raw = await legacy.get<LegacyConversation>(id, { raw: true });
  const conversation = raw?.value;
  if (!conversation || !Array.isArray(conversation.messages)) return undefined;
  const messages = conversation.messages.filter(
    (message) =>
      (message.role === "user" || message.role === "assistant") && typeof message.content === "string",
  );
  return {
    ...(conversation.model ? { model: conversation.model } : {}),
    messages: messages.map((message) => ({
      role: message.role,
      content: message.content,
      tokens: Number(message.tokens) || 0,
    })),
    updatedAtMs: Number(conversation.updatedAtMs) || Date.now(),
    expiresAtMs: typeof raw.expires === "number" ? raw.expires : Date.now() + defaultTtlMs,
  };
}
