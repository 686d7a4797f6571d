// Why the Discord adapter could not start, as one sentence that names the setting to fix and what was tried.
import { DiscordAPIError, HTTPError } from "discord.js";
import { withoutCredentials } from "../../src/config.ts";
import { ParleyError } from "../../src/errors.ts";
import { networkFailureOf } from "../../src/ops/network-failure.ts";

/** Where to fix a bot token. */
const TOKEN_HINT = "check the bot token in the Developer Portal (your application → Bot → Reset Token)";

/** The gateway's refusals that a setting can fix, by close code. */
const GATEWAY_REFUSALS: Record<number, (code: number) => string> = {
  4004: (code) =>
    `Discord rejected DISCORD_TOKEN (gateway closed with ${code} Authentication failed): ${TOKEN_HINT}`,
  4010: (code) =>
    `Discord refused the shard settings (gateway closed with ${code} Invalid shard): check DISCORD_SHARDS`,
  4011: (code) =>
    `Discord requires more shards for this bot (gateway closed with ${code} Sharding required): ` +
    "set DISCORD_SHARDS=auto",
  4014: (code) =>
    `Discord refused the Message Content intent parley needs (gateway closed with ${code} Disallowed intents): ` +
    "turn on Message Content Intent in the Developer Portal (your application → Bot), then start again",
};

/** The gateway connection failed again and again before any shard was ready. */
export class GatewayUnreachable extends Error {
  readonly attempts: number;
  constructor(attempts: number) {
    super(`${attempts} gateway connection attempts failed`);
    this.attempts = attempts;
  }
}

/** No shard became ready for too long, though nothing failed outright. */
export class GatewayStalled extends Error {
  readonly waitedMs: number;
  constructor(waitedMs: number) {
    super(`no shard became ready within ${waitedMs} ms`);
    this.waitedMs = waitedMs;
  }
}

/** What start-up had tried when it failed. */
export interface DiscordStartupContext {
  /** DISCORD_API_URL (shown without credentials). */
  apiUrl: string;
  /** The gateway address GET /gateway/bot gave, once known. */
  gatewayUrl?: string | undefined;
  /** The code the gateway last closed a shard with for good, if it did. */
  closeCode?: number | undefined;
}

/** The sentence when DISCORD_API_URL cannot be reached. */
export function discordUnreachable(apiUrl: string, reason: string, cause?: unknown): ParleyError {
  return new ParleyError(
    "config",
    `Could not reach Discord at ${withoutCredentials(apiUrl)} (${reason}): check the network or DISCORD_API_URL`,
    { cause },
  );
}

/** The sentence for an HTTP answer other than success at a start-up request ("GET /users/@me"). */
export function discordAnswered(status: number, request: string, detail?: string): ParleyError {
  const what = `${status}${detail ? ` ${detail}` : ""} at ${request}`;
  if (status === 401)
    return new ParleyError("config", `Discord rejected DISCORD_TOKEN (${what}): ${TOKEN_HINT}`);
  if (status === 429) {
    return new ParleyError(
      "config",
      `Discord is rate-limiting this bot (${what}): wait a few minutes before starting again`,
    );
  }
  return new ParleyError(
    "config",
    `Discord answered ${what}: check DISCORD_API_URL, or Discord's status at https://discordstatus.com`,
  );
}

/**
 * Turns whatever logging in threw into a ParleyError naming the setting to fix; errors it cannot explain are
 * returned as they are.
 */
export function discordStartupFailure(error: unknown, context: DiscordStartupContext): unknown {
  if (error instanceof ParleyError) return error;
  const gateway = context.gatewayUrl
    ? withoutCredentials(context.gatewayUrl)
    : "the address GET /gateway/bot gave";
  const refusal = context.closeCode === undefined ? undefined : GATEWAY_REFUSALS[context.closeCode];
  if (refusal && context.closeCode !== undefined) {
    return new ParleyError("config", refusal(context.closeCode), { cause: error });
  }
  if (error instanceof GatewayUnreachable) {
    return new ParleyError(
      "config",
      `Could not reach Discord's gateway at ${gateway} (${error.attempts} connection attempts failed): check ` +
        "the network and any proxy or firewall that blocks WebSockets; the address comes from DISCORD_API_URL",
      { cause: error },
    );
  }
  if (error instanceof GatewayStalled) {
    return new ParleyError(
      "config",
      `Discord's gateway at ${gateway} did not let parley in within ${Math.round(error.waitedMs / 1000)} s: ` +
        "check the network, or Discord's status at https://discordstatus.com",
      { cause: error },
    );
  }
  // discord.js turns a 401 on GET /gateway/bot into this.
  if ((error as { code?: unknown }).code === "TokenInvalid") {
    return new ParleyError(
      "config",
      `Discord rejected DISCORD_TOKEN (401 at GET /gateway/bot): ${TOKEN_HINT}`,
      {
        cause: error,
      },
    );
  }
  if (error instanceof DiscordAPIError || error instanceof HTTPError) {
    const failure = discordAnswered(error.status, `${error.method.toUpperCase()} ${routeOf(error.url)}`);
    return new ParleyError(failure.code, failure.userMessage, { cause: error });
  }
  const reason = networkFailureOf(error);
  if (reason) return discordUnreachable(context.apiUrl, reason, error);
  return error;
}

/**
 * Why registering the slash commands at start-up (REGISTER_COMMANDS) failed. Discord refuses a guild's commands
 * when the bot is not in that guild, or was invited without the applications.commands scope.
 */
export function commandRegistrationFailure(
  error: unknown,
  context: { apiUrl: string; guildId?: string },
): unknown {
  if (context.guildId && error instanceof DiscordAPIError && (error.status === 403 || error.status === 404)) {
    return new ParleyError(
      "config",
      `Discord refused to register the slash commands in server ${context.guildId} (${error.status} ` +
        `${error.message} at ${error.method.toUpperCase()} ${routeOf(error.url)}): check DISCORD_GUILD_ID, and ` +
        "that the bot was added to that server with its invite URL (scope applications.commands)",
      { cause: error },
    );
  }
  return discordStartupFailure(error, { apiUrl: context.apiUrl });
}

/** The path of a Discord API URL after its version ("/gateway/bot"). */
function routeOf(url: string): string {
  try {
    return new URL(url).pathname.replace(/^.*\/v\d+(?=\/)/, "");
  } catch {
    return url;
  }
}
