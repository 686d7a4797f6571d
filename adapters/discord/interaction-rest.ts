// The REST client for interaction callbacks and the interaction's own webhook (deferrals, streamed edits, follow-ups).
import { REST } from "discord.js";

/**
 * Discord does not count interaction endpoints against a bot's global limit of 50 requests a second, but discord.js's
 * REST client counts every request it makes: with 50 answers streaming at once, their edits queued behind one shared
 * second. This client needs no bot token (every interaction route is sent with `auth: false`), keeps the per-route
 * buckets Discord announces in its headers, and leaves the global count to the bot's own client.
 */
export function createInteractionRest(apiUrl: string): REST {
  return new REST({ api: apiUrl, globalRequestsPerSecond: Number.MAX_SAFE_INTEGER });
}

/** Stops the client's sweep timers (discord.js stops its own client's when the client is destroyed). */
export function closeInteractionRest(rest: REST): void {
  rest.clearHashSweeper();
  rest.clearHandlerSweeper();
}
