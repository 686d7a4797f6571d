// The fake Discord's state and the write helpers its REST routes share: messages stored, edits rate-limited.
import type { FakeGateway } from "./fake-discord-gateway.ts";
import { botMessagePayload, type FakeChannel, type FakeUser, snowflake } from "./fake-discord-payloads.ts";
import type { FakeInteraction, FakeMessage } from "./fake-discord-state.ts";

/** Everything the fake Discord knows, shared by the REST routes, the gateway and the test API. */
export interface FakeDiscordWorld {
  token: string;
  bot: FakeUser;
  applicationId: string;
  guildId: string;
  channels: Map<string, FakeChannel>;
  messages: Map<string, FakeMessage>;
  /** Users' messages as MESSAGE_CREATE carried them, by id (for channel history and message commands). */
  userMessages: Map<string, Record<string, unknown>>;
  interactions: Map<string, FakeInteraction>;
  commandRegistrations: { guildId?: string; commands: unknown[] }[];
  /** The application's commands as Discord holds them: globally (key `GLOBAL_COMMANDS`) and per guild. */
  applicationCommands: Map<string, Record<string, unknown>[]>;
  /** The guilds the bot is in, oldest first. */
  guildIds: string[];
  violations: string[];
  /** Requests answered with 429, as "METHOD template". */
  rateLimited: string[];
  /** Least time between two writes of one message before the fake answers 429. */
  minEditGapMs: number;
  /** How long an interaction may wait for its first response (Discord: 3 s). */
  interactionDeadlineMs: number;
  gateway: FakeGateway;
  /** The gateway address GET /gateway/bot hands out, when not the fake's own (an unreachable one, say). */
  gatewayUrl?: string;
  /** Refusals a test asked for ("METHOD template"), each answered once instead of the route. */
  injectedFailures: { route: string; response: FakeResponse }[];
}

/** The key of the application's global commands in `applicationCommands`. */
export const GLOBAL_COMMANDS = "global";

/** An answer to one REST request. */
export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The empty success answer. */
export const noContent: FakeResponse = { status: 204 };

/** A Discord error body, recorded as a violation when the bot caused it. */
export function failure(
  world: FakeDiscordWorld,
  status: number,
  code: number,
  message: string,
  why: string,
): FakeResponse {
  world.violations.push(why);
  return { status, body: { code, message } };
}

/** Applies an edit unless it comes sooner after the last write than Discord's edit buckets allow. */
export function editMessage(
  world: FakeDiscordWorld,
  message: FakeMessage,
  body: Record<string, unknown>,
  route: string,
): FakeResponse {
  const lastWriteMs = message.edits.at(-1) ?? message.createdAtMs;
  const gapMs = Date.now() - lastWriteMs;
  // The deferred placeholder is empty: filling it is the first write users see, not a rapid edit.
  const isFillingPlaceholder =
    message.interactionId !== undefined && message.edits.length === 0 && message.content === "";
  if (gapMs < world.minEditGapMs && !isFillingPlaceholder) {
    world.rateLimited.push(route);
    world.violations.push(`${route}: message ${message.id} edited ${gapMs} ms after its last change (429)`);
    const retryAfterSeconds = (world.minEditGapMs - gapMs) / 1000;
    return {
      status: 429,
      body: { message: "You are being rate limited.", retry_after: retryAfterSeconds, global: false },
      headers: { "retry-after": String(Math.ceil(retryAfterSeconds)), "x-ratelimit-scope": "user" },
    };
  }
  message.edits.push(Date.now());
  message.bodies.push(body);
  if (typeof body.content === "string") message.content = body.content;
  return { status: 200, body: botMessagePayload(message, world.bot) };
}

/** Stores a new message the bot sent. */
export function storeMessage(
  world: FakeDiscordWorld,
  channelId: string,
  body: Record<string, unknown>,
  extra: { interactionId?: string; ephemeral?: boolean; placeholder?: boolean },
): FakeMessage {
  const reference = body.message_reference as { message_id?: string } | undefined;
  const message: FakeMessage = {
    id: snowflake(),
    channelId,
    content: !extra.placeholder && typeof body.content === "string" ? body.content : "",
    createdAtMs: Date.now(),
    edits: [],
    // A deferral's placeholder has no content of the bot's yet: only later edits carry message bodies.
    bodies: extra.placeholder ? [] : [body],
    ...(reference?.message_id ? { replyTo: reference.message_id } : {}),
    ...(extra.interactionId ? { interactionId: extra.interactionId } : {}),
    ephemeral: extra.ephemeral ?? (Number(body.flags ?? 0) & 64) !== 0,
    deleted: false,
  };
  world.messages.set(message.id, message);
  return message;
}
