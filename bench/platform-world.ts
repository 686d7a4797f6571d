// What the bench needs from a fake platform, whichever it is: the bot's settings, conversations, events, results.
import type { Turn } from "./turns.ts";

/** One conversation the bench drives: its own channel or thread. */
export interface Conversation {
  /** Its id in parley's store (`platform:workspace:channel:thread`), for seeding history. */
  storeId: string;
}

/** A fake platform running in the bench process, with the bench's timestamp hooks installed. */
export interface PlatformWorld<Handle extends Conversation = Conversation> {
  /** Variables that point a bot at this fake. */
  botEnv: Record<string, string>;
  /** Opens `count` independent conversations (call once the bot is connected). */
  openConversations(count: number): Promise<Handle[]>;
  /** Sends the turn's question as a user would; sets `turn.eventAtMs`; rejects when the platform's delivery fails. */
  send(conversation: Handle, turn: Turn): Promise<void>;
  /** True when the platform's final state shows the turn's expected text in the conversation. */
  shows(conversation: Handle, turn: Turn): boolean;
  /** HTTP 429 answers the fake sent so far. */
  rateLimitedCount(): number;
  close(): Promise<void>;
}
