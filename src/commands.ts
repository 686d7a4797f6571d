// The command registry: the single list Discord's definitions, the Slack manifest, /help and the terminal read.
import type { CommandName } from "./types.ts";

/** Which configured model a command talks to. */
export type ModelRole = "chat" | "search" | "reason";

/** One option of a command. */
export interface CommandOption {
  name: string;
  description: string;
  required: boolean;
  /** Fixed choices (Discord shows them as a menu). */
  choices?: readonly string[];
  /**
   * Words that, typed first where this option may stand (Slack, the terminal), are read as a mistaken value of it
   * (`/reason extreme why`), so they are refused with the choices rather than sent as part of the prompt.
   */
  lookalikes?: readonly string[];
  /** Suggest the allowed model names while typing. */
  autocompleteModels?: boolean;
  /** The free text of the command (prompt/query): Slack and the terminal take it as the rest of the line. */
  isMainText?: boolean;
}

/** One command as users see it. */
export interface CommandSpec {
  name: CommandName;
  description: string;
  /** Usage line for /help and Slack's usage hint. */
  usageHint: string;
  options: readonly CommandOption[];
  /** The model role the command uses, when it calls a model. */
  modelRole?: ModelRole;
}

/** Reasoning effort values the reasoning models accept. */
export const REASONING_EFFORTS = ["low", "medium", "high"] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];
/** Level-like words that are no effort parley accepts, yet rarely start a question: `/reason max why…`. */
export const EFFORT_LOOKALIKES = [
  "none",
  "minimal",
  "min",
  "minimum",
  "lowest",
  "med",
  "mid",
  "max",
  "maximum",
  "highest",
  "xhigh",
  "x-high",
  "extra-high",
  "extreme",
  "ultra",
] as const;

/** Every command, in the order /help lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: "ask",
    description: "Ask the AI a question in this channel's conversation",
    usageHint: "<prompt>",
    modelRole: "chat",
    options: [
      { name: "prompt", description: "What you want to ask", required: true, isMainText: true },
      {
        name: "model",
        description: "Model for this answer (default: the channel's)",
        required: false,
        autocompleteModels: true,
      },
    ],
  },
  {
    name: "search",
    description: "Search the web and answer with sources",
    usageHint: "<query>",
    modelRole: "search",
    options: [{ name: "query", description: "What to search the web for", required: true, isMainText: true }],
  },
  {
    name: "reason",
    description: "Think a hard problem through with a reasoning model",
    usageHint: "[low|medium|high] <prompt>",
    modelRole: "reason",
    options: [
      { name: "prompt", description: "The problem to reason about", required: true, isMainText: true },
      {
        name: "effort",
        description: "How hard to think (default: medium)",
        required: false,
        choices: REASONING_EFFORTS,
        lookalikes: EFFORT_LOOKALIKES,
      },
    ],
  },
  {
    name: "model",
    description: "Show or set this channel's chat model",
    usageHint: "[model name]",
    options: [
      {
        name: "name",
        description: "Model to use from now on",
        required: false,
        autocompleteModels: true,
        isMainText: true,
      },
    ],
  },
  {
    name: "reset",
    description: "Forget this conversation and start fresh",
    usageHint: "",
    options: [],
  },
  {
    name: "usage",
    description: "Tokens and cost for you, this channel and this workspace",
    usageHint: "",
    options: [],
  },
  {
    name: "help",
    description: "What parley can do",
    usageHint: "",
    options: [],
  },
];

/** Finds a command by name, or undefined. */
export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((command) => command.name === name);
}
