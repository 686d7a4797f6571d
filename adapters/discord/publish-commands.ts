// Registers the registry's slash commands with Discord: to one guild (instant) or globally, never both at once.
import { DiscordAPIError, type REST, RESTJSONErrorCodes, Routes } from "discord.js";
import { discordCommands } from "./commands.ts";

/** The most guilds GET /users/@me/guilds returns at once. */
const GUILDS_PER_PAGE = 200;

/** What was registered where, and what was removed so that no command appears twice. */
export interface PublishedCommands {
  applicationId: string;
  /** The guild the commands went to; undefined when they were registered globally. */
  guildId?: string;
  names: string[];
  /** How many global commands were removed (after registering to a guild). */
  removedGlobalCommands: number;
  /** The guilds whose commands were removed (after registering globally). */
  removedFromGuilds: string[];
}

/**
 * Overwrites the application's commands with the registry's, then empties the other scope: a command registered
 * both globally and to a guild shows twice there. The application is parley's own (its token is parley's), so
 * every command it has is parley's. Looks the application id up when not given.
 */
export async function publishCommands(options: {
  rest: REST;
  applicationId?: string;
  guildId?: string;
  /** COMMAND_PREFIX, put before every command's name. */
  commandPrefix: string;
}): Promise<PublishedCommands> {
  const { rest, guildId } = options;
  const applicationId = options.applicationId ?? (await fetchApplicationId(rest));
  const body = discordCommands(options.commandPrefix);
  const names = body.map((command) => command.name);
  // Register first and remove after, so the commands never disappear in between.
  if (guildId) {
    await rest.put(Routes.applicationGuildCommands(applicationId, guildId), { body });
    const removedGlobalCommands = await removeCommands(rest, Routes.applicationCommands(applicationId));
    return { applicationId, guildId, names, removedGlobalCommands, removedFromGuilds: [] };
  }
  await rest.put(Routes.applicationCommands(applicationId), { body });
  const removedFromGuilds: string[] = [];
  for (const guild of await fetchGuildIds(rest)) {
    const removed = await removeCommands(rest, Routes.applicationGuildCommands(applicationId, guild));
    if (removed > 0) removedFromGuilds.push(guild);
  }
  return { applicationId, names, removedGlobalCommands: 0, removedFromGuilds };
}

/** Empties one scope's commands when it has any; how many there were. */
async function removeCommands(rest: REST, route: `/${string}`): Promise<number> {
  let existing: unknown;
  try {
    existing = await rest.get(route);
  } catch (error) {
    // A guild that never granted applications.commands holds none of the application's commands.
    if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.MissingAccess) return 0;
    throw error;
  }
  const count = Array.isArray(existing) ? existing.length : 0;
  if (count > 0) await rest.put(route, { body: [] });
  return count;
}

/** Every guild the bot is in, page by page. */
async function fetchGuildIds(rest: REST): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const query = new URLSearchParams({ limit: String(GUILDS_PER_PAGE) });
    const last = ids.at(-1);
    if (last) query.set("after", last);
    const page = await rest.get(Routes.userGuilds(), { query });
    const pageIds = Array.isArray(page) ? page.map((guild: { id: string }) => String(guild.id)) : [];
    ids.push(...pageIds);
    if (pageIds.length < GUILDS_PER_PAGE) return ids;
  }
}

/** The bot's application id, from GET /applications/@me. */
export async function fetchApplicationId(rest: REST): Promise<string> {
  const application = await rest.get(Routes.currentApplication());
  if (typeof application === "object" && application !== null && "id" in application) {
    return String(application.id);
  }
  throw new Error("Discord did not return the application id from /applications/@me");
}
