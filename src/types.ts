// The neutral vocabulary shared by the engine and every adapter: conversations, turns and reply events.
import type { ParleyError } from "./errors.ts";

/** Where a conversation lives: one thread of one channel in one workspace of one platform. */
export interface ConversationKey {
  platform: string;
  workspace: string;
  channel: string;
  /** Thread id; use the channel id again (or "main") when the platform has no thread. */
  thread: string;
}

/** `discord:G1:C2:T3` — the string form of a conversation key, used in logs and store keys. */
export function conversationId(key: ConversationKey): string {
  return [key.platform, key.workspace, key.channel, key.thread].join(":");
}

/** Who wrote a turn. */
export interface Author {
  id: string;
  displayName: string;
  isBot: boolean;
  /** The author's role ids where the platform has roles (Discord guilds), for ALLOW_ROLES. */
  roles?: readonly string[];
  /**
   * Whether the platform makes the author an admin here (Discord: Manage Server; Slack: workspace admin or owner).
   * Asked only when it matters (a settings change); may look it up.
   */
  isPlatformAdmin?: () => Promise<boolean>;
}

/** Where a turn was written: a channel (or its thread), a direct message with the bot, or the local console. */
export type Venue = "channel" | "direct" | "console";

/** A file that came with a turn. The adapter supplies how to download it (see `AttachmentReader`). */
export interface Attachment {
  name: string;
  url: string;
  mimeType: string;
  sizeBytes: number;
}

/**
 * Downloads an attachment's bytes; adapters add whatever authorisation their platform needs. Never returns more
 * than `maxBytes`: a larger file is aborted while downloading with a DownloadTooLargeError.
 */
export type AttachmentReader = (attachment: Attachment, maxBytes: number) => Promise<Uint8Array>;

/** The command names of the registry. */
export type CommandName = "ask" | "search" | "reason" | "model" | "reset" | "usage" | "help" | "settings";

/** What started a turn: a slash command, a mention of the bot, or a message continuing its thread. */
export type TurnKind = CommandName | "mention" | "follow-up";

/** One request from a user, already parsed out of the platform event. */
export interface Turn {
  key: ConversationKey;
  author: Author;
  kind: TurnKind;
  /** The main text: the prompt, query, or the command's free argument. */
  text: string;
  /**
   * What the model should know beside the prompt (what the user is viewing in Slack): added to the question a model
   * answers, never to a command's arguments.
   */
  contextNote?: string;
  /** The subcommand of a command that has them (`/settings prompt …` → "prompt"). */
  subcommand?: string;
  /** Named command options (`model`, `effort`, `name`), as typed by the user. */
  options?: Record<string, string | undefined>;
  /** Default "channel". The console (`npm run chat`) is the operator's own: no allow-list applies, they are admin. */
  venue?: Venue;
  attachments?: Attachment[];
  /** People the text names as `@name` where the platform gave a mention a readable name (Discord): who they are. */
  mentioned?: readonly { id: string; name: string }[];
  /**
   * Where the exchange is remembered when that is only known after the answer started: a Discord mention whose
   * thread could not be opened is answered in the channel, so its exchange belongs to the conversation its
   * follow-ups (replies in the channel) will continue. Default: `key`.
   */
  historyKey?: Promise<ConversationKey>;
  /** How to download `attachments`; without it attachments are skipped with a note. */
  readAttachment?: AttachmentReader;
  /** The id every log line about this turn carries; set by the turn lifecycle (src/ops/turn-lifecycle.ts). */
  requestId?: string;
  /**
   * Stops the turn when it aborts (Ctrl-C in the terminal, a Stop button): the provider request is aborted, the text
   * written so far is kept in the conversation, and the reply ends with a `done` whose result says `stopped`.
   */
  signal?: AbortSignal;
}

/** One numbered source of an answer. */
export interface Citation {
  url: string;
  title?: string;
}

/** Tokens and cost of one exchange. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
  /** Real cost in US dollars when the provider reported it (meta.usage.usd_spent). */
  costUsd?: number;
}

/** The end of a successful reply. */
export interface ReplyResult {
  /** The full answer text (Markdown), without the Sources list. */
  text: string;
  citations: Citation[];
  /** The model that answered; absent for commands that do not call a model. */
  model?: string;
  usage?: Usage;
  /** From the provider request's start to its first text, in milliseconds (the provider's own latency). */
  providerFirstTokenMs?: number;
  /** Short notes for the user shown under the answer (skipped attachments, fallback model). */
  notes: string[];
  /** True when the turn's `signal` stopped the answer: `text` is what was written by then. */
  stopped?: boolean;
}

/** What the engine yields while it answers: text as it arrives, then one `done` or one `error`. */
export type ReplyEvent =
  | { type: "status"; text: string }
  /** The model answering: sent when the provider is called, and again when the provider names the one it used. */
  | { type: "model"; model: string }
  | { type: "text"; delta: string }
  | { type: "done"; result: ReplyResult }
  | { type: "error"; error: ParleyError; partialText: string };

/** Whether a turn may be answered here, by the allow-lists. */
export type AccessVerdict = { allowed: true } | { allowed: false; message: string };

/** What adapters call. Created by `createParley` (src/parley.ts). */
export interface Engine {
  /** Answers one turn. Never throws: every failure arrives as an `error` event. */
  reply(turn: Turn): AsyncIterable<ReplyEvent>;
  /** True when parley holds a conversation under this key (a thread it answered before). */
  hasConversation(key: ConversationKey): Promise<boolean>;
  /**
   * Whether the allow-lists let parley answer this turn (no store involved). Adapters ask before posting anything:
   * a refused command gets `message` privately, a refused mention or message is ignored. `reply` refuses too.
   */
  access(turn: Turn): AccessVerdict;
  /** Records a platform event id; false when it was recorded before (a retried delivery). */
  claimEvent(platform: string, eventId: string): Promise<boolean>;
  /** The models /ask and /model may choose, for autocomplete. */
  allowedModels(): readonly string[];
}
