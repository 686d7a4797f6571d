// Registers the registry's slash commands with Discord: to one guild (instant) or globally.
import { type REST, Routes } from "discord.js";
import { discordCommands } from "./commands.ts";

/** What was registered where. */
export interface PublishedCommands {
  applicationId: string;
  /** The guild the commands went to; undefined when they were registered globally. */
  guildId?: string;
  names: string[];
}

/** Overwrites the application's commands with the registry's; looks the application id up when not given. */
export async function publishCommands(options: {
  rest: REST;
  applicationId?: string;
  guildId?: string;
  /** COMMAND_PREFIX, put before every command's name. */
  commandPrefix: string;
}): Promise<PublishedCommands> {
  const applicationId = options.applicationId ?? (await fetchApplicationId(options.rest));
  const body = discordCommands(options.commandPrefix);
  const route = options.guildId
    ? Routes.applicationGuildCommands(applicationId, options.guildId)
    : Routes.applicationCommands(applicationId);
  await options.rest.put(route, { body });
  return {
    applicationId,
    ...(options.guildId ? { guildId: options.guildId } : {}),
    names: body.map((command) => command.name),
  };
}

/** The bot's application id, from GET /applications/@me. */
export async function fetchApplicationId(rest: REST): Promise<string> {
  const application = await rest.get(Routes.currentApplication());
  if (typeof application === "object" && application !== null && "id" in application) {
    return String(application.id);
  }
  throw new Error("Discord did not return the application id from /applications/@me");
}
