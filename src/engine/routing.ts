// Picks the model, output budget and effort for a turn, and rejects bad input before any provider call.
import { commandHint, promptHint } from "../command-hint.ts";
import { REASONING_EFFORTS, type ReasoningEffort } from "../commands.ts";
import type { Config } from "../config.ts";
import { badInput, ParleyError } from "../errors.ts";
import type { ModelCatalog } from "../models/catalog.ts";
import { modelFamily } from "../models/families.ts";
import type { Turn } from "../types.ts";

/** Longest prompt parley accepts, in characters. */
export const MAX_PROMPT_CHARACTERS = 8_000;
/** Reasoning models count their thinking against the output limit: give them at least this much. */
export const MIN_REASONING_OUTPUT_TOKENS = 16_000;

/** Everything decided about a model turn before the call. */
export interface Route {
  model: string;
  reasoningEffort?: ReasoningEffort;
  outputBudgetTokens: number;
  /** OpenAI-style search models put citations only on a whole message: ask for one. */
  stream: boolean;
  notes: string[];
  status?: string;
}

/** Finds an allowed model by name, ignoring case; throws a bad_input listing the allowed ones. */
export function resolveAllowedModel(name: string, allowed: readonly string[]): string {
  const match = allowed.find((model) => model.toLowerCase() === name.trim().toLowerCase());
  if (!match) {
    throw badInput(`Unknown model "${name.trim()}". Allowed models: ${allowed.join(", ")}.`);
  }
  return match;
}

/** An example of the turn's command with a prompt, written the way that reaches the turn's conversation. */
function promptExample(turn: Turn, prefix: string): string {
  switch (turn.kind) {
    case "search":
      return commandHint(turn.key, "search", prefix, "latest Node.js LTS");
    case "reason":
      return commandHint(turn.key, "reason", prefix, "what is a monad?");
    case "ask":
      return commandHint(turn.key, "ask", prefix, "what is a monad?");
    default:
      return promptHint(turn.key, "what is a monad?");
  }
}

/** What the user can do, where the turn is, about a model the provider does not offer. */
export function unavailableModelRemedy(turn: Turn, prefix: string): string {
  if (turn.kind === "search") return "An admin needs to change MODEL_SEARCH.";
  if (turn.kind === "reason") return "An admin needs to change MODEL_REASON.";
  return `Pick another with ${commandHint(turn.key, "model", prefix, "<name>")}.`;
}

/** Checks the prompt: not empty (unless files came with it) and not over the length limit. */
export function checkPrompt(turn: Turn, commandPrefix: string): string {
  const text = turn.text.trim();
  if (!text && !turn.attachments?.length) {
    throw badInput(`Please include a prompt, for example ${promptExample(turn, commandPrefix)}.`);
  }
  if (text.length > MAX_PROMPT_CHARACTERS) {
    throw badInput(
      `That prompt is ${text.length.toLocaleString("en-US")} characters; the limit is ${MAX_PROMPT_CHARACTERS.toLocaleString("en-US")}. Please shorten it or attach it as a text file.`,
    );
  }
  return text;
}

/** Routes a model turn: ask → its model option, else the thread's or channel's /model choice, else MODEL_CHAT;
 *  mentions and follow-ups → that choice, else MODEL_CHAT; search → the channel's search model, else MODEL_SEARCH
 *  (either falling back to a listed one); reason → the channel's reasoning model, else MODEL_REASON. The search and reasoning models serve their own turn only: a conversation never inherits them. */
export function routeTurn(input: {
  turn: Turn;
  config: Config;
  catalog: ModelCatalog;
  /** The thread's /model choice, else its channel's. */
  chosenModel?: string;
  /** The channel's own search and reasoning models (/settings model). */
  channelModels?: { search?: string; reason?: string };
}): Route {
  const { turn, config, catalog } = input;
  const notes: string[] = [];
  let model: string;
  let reasoningEffort: ReasoningEffort | undefined;
  let status: string | undefined;
  if (turn.kind === "search") {
    const channelSearch = input.channelModels?.search;
    status = "Searching the web…";
    if (channelSearch && catalog.isListed(channelSearch)) {
      model = channelSearch;
    } else {
      model = catalog.searchModel.id;
      const replaced = channelSearch ?? catalog.searchModel.replaced;
      if (replaced && replaced !== model)
        notes.push(`Searched with ${model} (${replaced} is no longer offered by the provider).`);
    }
  } else if (turn.kind === "reason") {
    model = input.channelModels?.reason ?? config.models.reason;
    // The engine checked the effort against the registry's choices (check-options.ts) before routing.
    const effort = turn.options?.effort?.trim().toLowerCase();
    reasoningEffort = REASONING_EFFORTS.find((level) => level === effort) ?? "medium";
    status = "Thinking…";
  } else if (turn.kind === "ask") {
    const requested = turn.options?.model?.trim();
    model = requested
      ? resolveAllowedModel(requested, config.allowedModels)
      : (input.chosenModel ?? config.models.chat);
  } else {
    model = input.chosenModel ?? config.models.chat;
  }
  if (!catalog.isListed(model)) {
    const nearest = catalog.nearest(model);
    throw new ParleyError(
      "model_unavailable",
      `The model ${model} is not offered by the provider right now.${nearest.length ? ` Close matches: ${nearest.join(", ")}.` : ""} ${unavailableModelRemedy(turn, config.commandPrefix)}`,
    );
  }
  const info = catalog.info(model);
  // Requests name the listed id: an alias may be listed but missing from the model's spec.
  model = info.id;
  const family = modelFamily(model);
  const limit = info.outputMaxTokens ?? Number.POSITIVE_INFINITY;
  const wanted =
    family === "reasoning"
      ? Math.max(config.maxOutputTokens, MIN_REASONING_OUTPUT_TOKENS)
      : config.maxOutputTokens;
  if (family === "reasoning" && !reasoningEffort) reasoningEffort = "medium";
  return {
    model,
    reasoningEffort,
    outputBudgetTokens: Math.min(wanted, limit),
    stream: family !== "search-preview",
    notes,
    status,
  };
}
