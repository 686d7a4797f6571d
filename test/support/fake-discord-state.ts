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

/** A per-route budget as Discord enforces it: `limit` requests per fixed window of `windowMs` per resource. */
export interface FakeRateLimit {
  limit: number;
  windowMs: number;
}

/** The message budgets the fake enforces: posts and edits per channel, and per interaction token. */
export interface FakeRateLimits {
  /** POST /channels/{id}/messages, per channel (default 5 per 5000 ms). */
  channelPosts?: FakeRateLimit;
  /** PATCH /channels/{id}/messages/{id}, per channel (default 5 per 5000 ms). */
  channelEdits?: FakeRateLimit;
  /** PATCH of an interaction's messages, and POST of its follow-ups, per token (default 5 per 5000 ms each). */
  interactionWrites?: FakeRateLimit;
}

/** What one rate-limited request gets: the X-RateLimit-* headers, and whether it is refused (429). */
export interface BucketVerdict {
  headers: Record<string, string>;
  /** Set when the request is over its budget: how long until the bucket resets. */
  retryAfterMs?: number;
}

const DEFAULT_DISCORD_LIMIT: FakeRateLimit = { limit: 5, windowMs: 5_000 };

/** Which budget a request spends, as Discord's bucket (route) and top-level resource (major parameter). */
function bucketOf(
  limits: FakeRateLimits,
  routeKey: string,
  parameters: Record<string, string>,
): { bucket: string; resource: string; rate: FakeRateLimit } | undefined {
  const channel = parameters.channel_id ?? "";
  const webhook = `${parameters.webhook_id ?? ""}/${parameters.webhook_token ?? ""}`;
  switch (routeKey) {
    case "POST /channels/{channel_id}/messages":
      return {
        bucket: "channel-post",
        resource: channel,
        rate: limits.channelPosts ?? DEFAULT_DISCORD_LIMIT,
      };
    case "PATCH /channels/{channel_id}/messages/{message_id}":
      return {
        bucket: "channel-edit",
        resource: channel,
        rate: limits.channelEdits ?? DEFAULT_DISCORD_LIMIT,
      };
    case "PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original":
    case "PATCH /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}":
      return {
        bucket: "webhook-edit",
        resource: webhook,
        rate: limits.interactionWrites ?? DEFAULT_DISCORD_LIMIT,
      };
    case "POST /webhooks/{webhook_id}/{webhook_token}":
      return {
        bucket: "webhook-post",
        resource: webhook,
        rate: limits.interactionWrites ?? DEFAULT_DISCORD_LIMIT,
      };
    default:
      return undefined;
  }
}

/**
 * Discord's per-route buckets: a fixed window opens at a resource's first request and allows `limit` requests;
 * every answer carries X-RateLimit-Limit, -Remaining, -Reset, -Reset-After and -Bucket, which discord.js reads.
 */
export function createFakeBuckets(limits: FakeRateLimits = {}) {
  const windows = new Map<string, { startMs: number; count: number }>();
  return {
    /** Counts a request against its bucket; undefined for routes without a budget. */
    take(routeKey: string, parameters: Record<string, string>, nowMs: number): BucketVerdict | undefined {
      const found = bucketOf(limits, routeKey, parameters);
      if (!found) return undefined;
      const { bucket, resource, rate } = found;
      const key = `${bucket}:${resource}`;
      let window = windows.get(key);
      if (!window || nowMs >= window.startMs + rate.windowMs) {
        window = { startMs: nowMs, count: 0 };
        windows.set(key, window);
      }
      const resetAtMs = window.startMs + rate.windowMs;
      const refused = window.count >= rate.limit;
      if (!refused) window.count++;
      const headers = {
        "x-ratelimit-limit": String(rate.limit),
        "x-ratelimit-remaining": String(rate.limit - window.count),
        "x-ratelimit-reset": (resetAtMs / 1000).toFixed(3),
        "x-ratelimit-reset-after": ((resetAtMs - nowMs) / 1000).toFixed(3),
        "x-ratelimit-bucket": `fake-${bucket}`,
      };
      return refused ? { headers, retryAfterMs: resetAtMs - nowMs } : { headers };
    },
  };
}
