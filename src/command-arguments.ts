// Reads a command's options off one line of text, for platforms that give only text (Slack, the terminal).
import { commandForName } from "./command-names.ts";
import { type CommandSpec, findCommand, findSubcommand } from "./commands.ts";
import type { Turn } from "./types.ts";

/** Splits off the first word: [word, rest], or undefined when the text is empty. */
function firstWord(text: string): [string, string] | undefined {
  const match = /^(\S+)\s*([\s\S]*)$/.exec(text.trim());
  return match ? [match[1] ?? "", match[2] ?? ""] : undefined;
}

/**
 * Takes a command's options off the front of its text, as the registry declares them: `name:value` (or
 * `name: value`) for any option that is not the main text (`/ask model:gpt-4o hi`), and a bare word that is one of
 * an option's choices or lookalikes (`/reason high why…`, `/reason extreme why…`), kept as typed. Everything from
 * the first other word on is the main text. Values are not checked here: the engine checks every option the same
 * way for every platform (src/engine/check-options.ts), so a mistaken one is refused with one sentence everywhere.
 */
export function parseCommandArguments(
  spec: CommandSpec,
  argumentText: string,
): { text: string; options: Record<string, string> } {
  const named = spec.options.filter((option) => !option.isMainText);
  const options: Record<string, string> = {};
  let rest = argumentText.trim();
  for (let split = firstWord(rest); split !== undefined; split = firstWord(rest)) {
    const [word, remainder] = split;
    const colon = word.indexOf(":");
    const byName =
      colon > 0 ? named.find((option) => option.name === word.slice(0, colon).toLowerCase()) : undefined;
    if (byName && options[byName.name] === undefined) {
      const value = word.slice(colon + 1);
      // "effort: high" — the value may follow after a space, as Discord's option boxes teach.
      const spaced = value === "" ? firstWord(remainder) : undefined;
      options[byName.name] = spaced ? spaced[0] : value;
      rest = spaced ? spaced[1] : remainder;
      continue;
    }
    const lowered = word.toLowerCase();
    const byChoice = named.find(
      (option) =>
        options[option.name] === undefined &&
        (option.choices?.includes(lowered) || option.lookalikes?.includes(lowered)),
    );
    if (!byChoice) break;
    options[byChoice.name] = word;
    rest = remainder;
  }
  return { text: rest, options };
}

/** A mention or follow-up that starts with a command ("@parley /reset" in a thread) runs that command there:
 *  the only way to address one thread where slash commands do not say which thread they came from (Slack).
 *  The command is named as on the platform (`/ai-reset` with the prefix "ai-") or plainly (`/reset`): a message
 *  collides with no other app's command. */
export function commandFromMessage(turn: Turn, commandPrefix: string): Turn {
  if (turn.kind !== "mention" && turn.kind !== "follow-up") return turn;
  const text = turn.text.trim();
  const match = /^\/(\S+)(?=\s|$)/.exec(text);
  const command = match?.[1]
    ? (commandForName(match[1], commandPrefix) ?? findCommand(match[1].toLowerCase()))
    : undefined;
  if (!match || !command) return turn;
  const { subcommand, text: rest, options } = parseTypedArguments(command, text.slice(match[0].length));
  return {
    ...turn,
    kind: command.name,
    text: rest,
    options: { ...turn.options, ...options },
    ...(subcommand === undefined ? {} : { subcommand }),
  };
}

/**
 * A command's arguments typed on one line, its subcommand first when it has them (`/settings prompt You are…`):
 * the subcommand's options then come off the rest as `parseCommandArguments` takes them. No first word: no
 * subcommand; an unknown one is kept as typed, for the engine to explain.
 */
export function parseTypedArguments(
  spec: CommandSpec,
  argumentText: string,
): { subcommand?: string; text: string; options: Record<string, string> } {
  if (!spec.subcommands) return parseCommandArguments(spec, argumentText);
  const split = firstWord(argumentText);
  if (!split) return { text: "", options: {} };
  const [word, rest] = split;
  const subcommand = findSubcommand(spec, word.toLowerCase());
  if (!subcommand) return { subcommand: word.toLowerCase(), text: rest, options: {} };
  return {
    subcommand: subcommand.name,
    ...parseCommandArguments({ ...spec, options: subcommand.options }, rest),
  };
}
