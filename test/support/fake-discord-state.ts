// What the fake Discord remembers: messages the bot posted and edited, interactions, and who would be pinged.

/** A message the bot created (in a channel, or as an interaction reply or follow-up). */
export interface FakeMessage {
  id: string;
  channelId: string;
  /** Current content, after every edit. */
  content: string;
  createdAtMs: number;
  /** When each edit arrived, in ms since the epoch. */
  edits: number[];
  /** Every body that created or edited the message, in order. */
  bodies: Record<string, unknown>[];
  /** The message it replies to (message_reference). */
  replyTo?: string;
  /** The interaction it answers, for interaction replies and follow-ups. */
  interactionId?: string;
  ephemeral: boolean;
  deleted: boolean;
}

/** A slash command or autocomplete the fake sent to the bot. */
export interface FakeInteraction {
  id: string;
  token: string;
  channelId: string;
  command: string;
  dispatchedAtMs: number;
  /** When the first callback arrived and what it said. */
  callbackAtMs?: number;
  callbackBody?: Record<string, unknown>;
  /** The reply (deferred, then filled by PATCH @original) and the follow-ups, in order. */
  messageIds: string[];
  originalDeleted: boolean;
}

/** A mention that would notify someone: "@everyone", "@here", "user:<id>" or "role:<id>". */
export type Ping = string;

/**
 * Who a new message would notify, following Discord's rules: without allowed_mentions every mention pings;
 * with it, only the listed types (`parse`) and ids (`users`, `roles`), plus the replied-to author if `replied_user`.
 */
export function pingsOf(content: string, body: Record<string, unknown>, repliedAuthorId?: string): Ping[] {
  const allowed = body.allowed_mentions as
    | { parse?: string[]; users?: string[]; roles?: string[]; replied_user?: boolean }
    | undefined;
  const parse = new Set(allowed ? (allowed.parse ?? []) : ["everyone", "users", "roles"]);
  const pings: Ping[] = [];
  for (const found of content.matchAll(/@(everyone|here)|<@!?(\d+)>|<@&(\d+)>/g)) {
    const [, everyone, userId, roleId] = found;
    if (everyone && parse.has("everyone")) pings.push(`@${everyone}`);
    if (userId && (parse.has("users") || allowed?.users?.includes(userId))) pings.push(`user:${userId}`);
    if (roleId && (parse.has("roles") || allowed?.roles?.includes(roleId))) pings.push(`role:${roleId}`);
  }
  // A reply pings its author unless allowed_mentions says replied_user: false (the default when it is present).
  if (repliedAuthorId && (!allowed || allowed.replied_user === true)) pings.push(`user:${repliedAuthorId}`);
  return pings;
}

/** Counts unbalanced code fences: an odd number of ``` lines leaves a block open. */
export function fenceCount(content: string): number {
  return content.split("\n").filter((line) => line.trimStart().startsWith("```")).length;
}

/** Polls every 20 ms until `probe` returns a value (not undefined/false); fails after `timeoutMs`. */
export async function pollUntil<T>(
  probe: () => T | undefined | false,
  timeoutMs: number,
  what: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
