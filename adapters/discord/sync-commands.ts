// Keeps Discord's copy of parley's commands current on start: one read, and a write only when they differ.
import { type REST, Routes } from "discord.js";
import { type DiscordCommandJson, discordCommands } from "./commands.ts";
import { fetchApplicationId, type PublishedCommands, publishCommands } from "./publish-commands.ts";

/** What the start-up sync found and did. */
export type CommandSync =
  | { written: false; applicationId: string; guildId?: string; names: string[] }
  | ({ written: true } & PublishedCommands);

/**
 * Reads the application's commands where parley registers them (DISCORD_GUILD_ID's guild, else globally) and
 * overwrites them only when they differ from the registry's, so a restart costs one request and no command is
 * re-created (which would reset Discord's cache of it for every user).
 */
export async function syncCommands(options: {
  rest: REST;
  applicationId?: string;
  guildId?: string;
  commandPrefix: string;
}): Promise<CommandSync> {
  const { rest, guildId, commandPrefix } = options;
  const applicationId = options.applicationId ?? (await fetchApplicationId(rest));
  const wanted = discordCommands(commandPrefix);
  const route = guildId
    ? Routes.applicationGuildCommands(applicationId, guildId)
    : Routes.applicationCommands(applicationId);
  const existing = await rest.get(route);
  if (sameCommands(Array.isArray(existing) ? existing : [], wanted)) {
    return {
      written: false,
      applicationId,
      ...(guildId ? { guildId } : {}),
      names: wanted.map((command) => command.name),
    };
  }
  const published = await publishCommands({
    rest,
    applicationId,
    commandPrefix,
    ...(guildId ? { guildId } : {}),
  });
  return { written: true, ...published };
}

/** True when Discord's commands say what parley's definitions say, whatever order and defaults Discord adds. */
export function sameCommands(existing: readonly unknown[], wanted: readonly DiscordCommandJson[]): boolean {
  const canonical = (commands: readonly unknown[]) =>
    JSON.stringify(
      commands
        .map((command) => canonicalCommand(command as Record<string, unknown>))
        .sort((first, second) => first.key.localeCompare(second.key)),
    );
  return canonical(existing) === canonical(wanted);
}

/** The fields parley sets on a command, with Discord's defaults filled in and its own additions (ids) left out. */
function canonicalCommand(command: Record<string, unknown>): Record<string, unknown> & { key: string } {
  const type = Number(command.type ?? 1);
  return {
    key: `${type}:${String(command.name)}`,
    type,
    name: command.name,
    description: command.description ?? "",
    integration_types: sortedNumbers(command.integration_types, [0]),
    contexts: sortedNumbers(command.contexts, [0, 1, 2]),
    default_member_permissions: command.default_member_permissions ?? null,
    nsfw: command.nsfw === true,
    options: canonicalOptions(command.options),
  };
}

/** Options in their order (Discord keeps it), each with the defaults Discord may leave out. */
function canonicalOptions(options: unknown): unknown[] {
  if (!Array.isArray(options)) return [];
  return options.map((option: Record<string, unknown>) => ({
    type: option.type,
    name: option.name,
    description: option.description,
    required: option.required === true,
    autocomplete: option.autocomplete === true,
    choices: Array.isArray(option.choices)
      ? option.choices.map((choice: Record<string, unknown>) => ({ name: choice.name, value: choice.value }))
      : [],
    options: canonicalOptions(option.options),
  }));
}

/** A list of numbers sorted, or the default when Discord gave none. */
function sortedNumbers(value: unknown, fallback: number[]): number[] {
  return (Array.isArray(value) ? value.map(Number) : fallback).sort((first, second) => first - second);
}
