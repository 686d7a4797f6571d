// Checks a turn's options against the registry, the same way whichever platform the turn came from.
import { type CommandOption, findCommand } from "../commands.ts";
import { badInput } from "../errors.ts";
import type { Turn } from "../types.ts";
import { resolveAllowedModel } from "./routing.ts";

/** "low, medium or high". */
function listWithOr(values: readonly string[]): string {
  if (values.length <= 1) return values.join("");
  return `${values.slice(0, -1).join(", ")} or ${values.at(-1)}`;
}

/** The option's value as the registry spells it; throws a bad_input sentence when it is not one it accepts. */
function checkValue(option: CommandOption, typed: string, allowedModels: readonly string[]): string {
  const value = typed.trim();
  if (option.choices) {
    const choice = option.choices.find((candidate) => candidate === value.toLowerCase());
    if (choice) return choice;
    const choices = listWithOr(option.choices);
    throw badInput(
      value === ""
        ? `${option.name} must be ${choices}.`
        : `${option.name} must be ${choices}, not "${value}".`,
    );
  }
  if (option.autocompleteModels) {
    if (value === "") throw badInput(`${option.name} needs a model: one of ${allowedModels.join(", ")}.`);
    return resolveAllowedModel(value, allowedModels);
  }
  return typed;
}

/**
 * Checks every option a turn's command declares (the main text excepted, which the command reads itself): a value
 * outside an option's choices is refused with "effort must be low, medium or high, not "extreme".", a model outside
 * MODEL_ALLOW with the allowed list. Returns the turn with each value spelled as the registry does. Discord checks
 * choices itself, but the engine does not rely on any platform having checked anything.
 */
export function checkOptions(turn: Turn, allowedModels: readonly string[]): Turn {
  const spec = turn.kind === "mention" || turn.kind === "follow-up" ? undefined : findCommand(turn.kind);
  if (!spec || !turn.options) return turn;
  const options = { ...turn.options };
  for (const option of spec.options) {
    const typed = options[option.name];
    if (option.isMainText || typed === undefined) continue;
    options[option.name] = checkValue(option, typed, allowedModels);
  }
  return { ...turn, options };
}
