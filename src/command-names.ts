// Command names as users type them: COMMAND_PREFIX (e.g. "ai-") before every name of the registry.
import { type CommandSpec, findCommand } from "./commands.ts";
import type { CommandName } from "./types.ts";

/** The longest command Slack accepts, leading slash included (Discord allows 32 without the slash). */
export const MAX_SLASH_COMMAND_LENGTH = 32;

/** What Discord allows in a command's name: lowercase letters, digits, "-" and "_". */
export const COMMAND_NAME_CHARACTERS = /^[-_\p{Ll}\p{N}]*$/u;

/** The name a platform registers for a command: `ai-ask` for "ask" with the prefix "ai-". */
export function prefixedName(name: CommandName, prefix: string): string {
  return `${prefix}${name}`;
}

/** A command as users type it, for sentences that name one: `/ai-model`. */
export function slashCommand(name: CommandName, prefix: string): string {
  return `/${prefixedName(name, prefix)}`;
}

/** The registry command a platform's command name stands for (`ai-ask` → ask), or undefined when it is none. */
export function commandForName(registered: string, prefix: string): CommandSpec | undefined {
  const name = registered.toLowerCase();
  return name.startsWith(prefix) ? findCommand(name.slice(prefix.length)) : undefined;
}
