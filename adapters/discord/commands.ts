// Derives Discord's slash command definitions and model autocomplete from parley's one command registry.
import {
  type APIApplicationCommandStringOption,
  type APIApplicationCommandSubcommandOption,
  type APIApplicationCommandUserOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from "discord.js";
import { prefixedName } from "../../src/command-names.ts";
import { COMMANDS, type CommandOption, type CommandSpec } from "../../src/commands.ts";
import { MESSAGE_ACTIONS } from "../../src/message-actions.ts";

/** Discord shows at most 25 autocomplete choices. */
export const MAX_AUTOCOMPLETE_CHOICES = 25;

/** Discord's longest choice name and value, in characters. */
const MAX_CHOICE_LENGTH = 100;

/** One command (slash or message) in the JSON Discord's bulk-overwrite endpoint takes. */
export type DiscordCommandJson =
  | RESTPostAPIChatInputApplicationCommandsJSONBody
  | RESTPostAPIContextMenuApplicationCommandsJSONBody;

/** Where parley can be installed: to a server, and to a user's account (then it follows them into any DM). */
export const INSTALL_TYPES = [
  ApplicationIntegrationType.GuildInstall,
  ApplicationIntegrationType.UserInstall,
];

/** Where the commands can be used: servers, DMs with the bot, and other DMs and group DMs (user installs). */
export const COMMAND_CONTEXTS = [
  InteractionContextType.Guild,
  InteractionContextType.BotDM,
  InteractionContextType.PrivateChannel,
];

/** Every registry command as Discord slash command JSON, named with COMMAND_PREFIX in front, usable wherever parley
 *  is installed. */
export function discordCommands(
  commandPrefix: string,
  commands: readonly CommandSpec[] = COMMANDS,
): DiscordCommandJson[] {
  return [...slashCommands(commandPrefix, commands), ...messageCommands()];
}

/** The message actions as message commands: a message's Apps menu, by title (no prefix: titles need none). */
export function messageCommands(): RESTPostAPIContextMenuApplicationCommandsJSONBody[] {
  return MESSAGE_ACTIONS.map((action) => ({
    type: ApplicationCommandType.Message,
    name: action.title,
    description: "",
    integration_types: INSTALL_TYPES,
    contexts: COMMAND_CONTEXTS,
  }));
}

/** The registry's commands as slash commands. */
export function slashCommands(
  commandPrefix: string,
  commands: readonly CommandSpec[] = COMMANDS,
): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return commands.map((command) => ({
    type: ApplicationCommandType.ChatInput,
    name: prefixedName(command.name, commandPrefix),
    description: command.description,
    integration_types: INSTALL_TYPES,
    contexts: COMMAND_CONTEXTS,
    // No default_member_permissions: /settings stays visible to ADMIN_USERS and to people who only look.
    options: command.subcommands
      ? command.subcommands.map(
          (subcommand): APIApplicationCommandSubcommandOption => ({
            type: ApplicationCommandOptionType.Subcommand,
            name: subcommand.name,
            description: subcommand.description,
            options: discordOptions(subcommand.options),
          }),
        )
      : discordOptions(command.options),
  }));
}

/** Registry options as Discord options, required ones first (Discord wants them so; the registry may not). */
function discordOptions(
  options: readonly CommandOption[],
): (APIApplicationCommandStringOption | APIApplicationCommandUserOption)[] {
  return [...options]
    .sort((first, second) => Number(second.required) - Number(first.required))
    .map((option) => (option.isUser ? userOption(option) : stringOption(option)));
}

/** A registry option naming a person, as Discord's member picker. */
function userOption(option: CommandOption): APIApplicationCommandUserOption {
  return {
    type: ApplicationCommandOptionType.User,
    name: option.name,
    description: option.description,
    required: option.required,
  };
}

/** One registry option as a Discord string option: autocompleted, a fixed menu, or free text. */
function stringOption(option: CommandOption): APIApplicationCommandStringOption {
  const base = {
    type: ApplicationCommandOptionType.String,
    name: option.name,
    description: option.description,
    required: option.required,
  } as const;
  if (option.autocompleteModels) return { ...base, autocomplete: true };
  if (option.choices)
    return { ...base, choices: option.choices.map((choice) => ({ name: choice, value: choice })) };
  return base;
}

/** Autocomplete choices: the allowed models that contain what was typed, closest first. */
export function modelChoices(
  allowedModels: readonly string[],
  typed: string,
): { name: string; value: string }[] {
  const needle = typed.trim().toLowerCase();
  return allowedModels
    .filter((model) => model.length <= MAX_CHOICE_LENGTH && model.toLowerCase().includes(needle))
    .sort((first, second) => rank(first, needle) - rank(second, needle))
    .slice(0, MAX_AUTOCOMPLETE_CHOICES)
    .map((model) => ({ name: model, value: model }));
}

/** 0 when the model starts with the typed text, 1 otherwise (a stable sort keeps the configured order). */
function rank(model: string, needle: string): number {
  return model.toLowerCase().startsWith(needle) ? 0 : 1;
}
