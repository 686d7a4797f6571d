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
  /** Names a person (Discord shows a member picker; elsewhere a mention or a user id). */
  isUser?: boolean;
}

/** One subcommand (`/settings prompt …`): Discord subcommands; Slack and the terminal take the first word. */
export interface SubcommandSpec {
  name: string;
  description: string;
  /** Usage line after the subcommand's name. */
  usageHint: string;
  options: readonly CommandOption[];
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
  /** When set, the command's options are its subcommands' (the command alone runs the first). */
  subcommands?: readonly SubcommandSpec[];
  /**
   * Only the person who typed it sees the answer (Discord: ephemeral; Slack: through response_url). Every command
   * that does not ask a model is private: its answer is bookkeeping for one person, not part of the conversation.
   */
  answersPrivately?: boolean;
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

/** The commands whose model a channel's admins can set. */
export const SETTINGS_MODEL_COMMANDS = ["ask", "search", "reason"] as const;

/** Who a channel's daily token limit applies to: each person, or the channel in all. */
export const LIMIT_SCOPES = ["user", "channel"] as const;

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
    answersPrivately: true,
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
    answersPrivately: true,
    usageHint: "",
    options: [],
  },
  {
    name: "usage",
    description: "Tokens and cost for you, this channel and this workspace",
    answersPrivately: true,
    usageHint: "",
    options: [],
  },
  {
    name: "help",
    description: "What parley can do",
    answersPrivately: true,
    usageHint: "",
    options: [],
  },
  {
    name: "settings",
    description: "This channel's prompt, models and limits; admins change them",
    answersPrivately: true,
    usageHint: "[show | prompt | model | limit | forget] …",
    options: [],
    subcommands: [
      {
        name: "show",
        description: "This channel's prompt, models, limits and today's use",
        usageHint: "",
        options: [],
      },
      {
        name: "prompt",
        description: "Set this channel's system prompt (reset: the default again)",
        usageHint: "<text> | reset",
        options: [
          { name: "text", description: "The system prompt, or reset", required: true, isMainText: true },
        ],
      },
      {
        name: "model",
        description: "Set the model a command uses in this channel (reset: the default again)",
        usageHint: "<ask|search|reason> <model> | reset",
        options: [
          { name: "command", description: "Which command", required: true, choices: SETTINGS_MODEL_COMMANDS },
          {
            name: "model",
            description: "A model, or reset",
            required: true,
            isMainText: true,
            autocompleteModels: true,
          },
        ],
      },
      {
        name: "limit",
        description: "Set this channel's daily token limit per person or in all (reset: the default)",
        usageHint: "<user|channel> <tokens per day> | reset",
        options: [
          {
            name: "scope",
            description: "Per person, or the whole channel",
            required: true,
            choices: LIMIT_SCOPES,
          },
          {
            name: "tokens",
            description: "Tokens per day (0: no limit), or reset",
            required: true,
            isMainText: true,
          },
        ],
      },
      {
        name: "forget",
        description: "Delete a person's usage records and the conversations they started here",
        usageHint: "<user>",
        options: [
          { name: "user", description: "Who to forget", required: true, isMainText: true, isUser: true },
        ],
      },
    ],
  },
];

/** Finds a command by name, or undefined. */
export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((command) => command.name === name);
}

/** A command's subcommand by name, or undefined. */
export function findSubcommand(spec: CommandSpec, name: string): SubcommandSpec | undefined {
  return spec.subcommands?.find((subcommand) => subcommand.name === name);
}
