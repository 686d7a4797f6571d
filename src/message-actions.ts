// The message actions (Discord's message context menu, Slack's message shortcuts): what each asks about a message.
import { countMessageTokens, loadExactCounting } from "./context/count-tokens.ts";

/** The actions, by id. */
export type MessageActionName = "explain" | "summarize" | "translate";

/** One action as people see it in the message's menu. */
export interface MessageActionSpec {
  name: MessageActionName;
  /** The menu entry: Discord's command name and Slack's shortcut name (at most 32 characters there). */
  title: string;
  /** Slack's shortcut description. */
  description: string;
  /** What the model is asked to do with the quoted message(s). */
  instruction: string;
  /** True when the messages before the target (its thread, or the channel's recent ones) are read too. */
  readsEarlierMessages: boolean;
}

/** Every message action, in menu order. */
export const MESSAGE_ACTIONS: readonly MessageActionSpec[] = [
  {
    name: "explain",
    title: "Explain",
    description: "Explain this message in plain words",
    instruction:
      "Explain the following message in plain words: what it says, any jargon or references in it, and what the " +
      "author most likely means.",
    readsEarlierMessages: false,
  },
  {
    name: "summarize",
    title: "Summarize",
    description: "Summarize the conversation up to this message",
    instruction:
      "Summarize the following conversation, which ends with the message marked (selected): the main points, " +
      "decisions and open questions, in a few bullet points.",
    readsEarlierMessages: true,
  },
  {
    name: "translate",
    title: "Translate to English",
    description: "Translate this message into English",
    instruction:
      "Translate the following message into English. Answer with the translation only; if it is English already, " +
      "say so.",
    readsEarlierMessages: false,
  },
];

/** The most tokens of earlier messages a summary reads: well within every chat model's window, answer included. */
export const SUMMARY_CONTEXT_TOKENS = 12_000;

/** The most earlier messages an adapter fetches for a summary (one page on both platforms). */
export const SUMMARY_MESSAGE_LIMIT = 100;

/** A message quoted to the model. */
export interface QuotedMessage {
  author: string;
  text: string;
}

/** The action whose menu entry (Discord) or callback id (Slack) this is, or undefined. */
export function findMessageAction(titleOrName: string): MessageActionSpec | undefined {
  return MESSAGE_ACTIONS.find((action) => action.title === titleOrName || action.name === titleOrName);
}

/**
 * The prompt an action sends: its instruction, then the target message (after as many of the earlier messages,
 * oldest first, as fit in SUMMARY_CONTEXT_TOKENS when the action reads them; the newest are kept).
 */
export async function messageActionPrompt(
  action: MessageActionSpec,
  target: QuotedMessage,
  earlierNewestFirst: readonly QuotedMessage[] = [],
): Promise<string> {
  const quote = (message: QuotedMessage, marker = "") => `${message.author}${marker}: ${message.text}`;
  const targetLine = quote(target, action.readsEarlierMessages ? " (selected)" : "");
  if (!action.readsEarlierMessages) return `${action.instruction}\n\n${targetLine}`;
  // Summaries read as much as fits: counted exactly, not by the bound.
  await loadExactCounting();
  let budget = SUMMARY_CONTEXT_TOKENS - countMessageTokens(targetLine);
  const kept: string[] = [];
  for (const message of earlierNewestFirst) {
    if (message.text.trim() === "") continue;
    const line = quote(message);
    budget -= countMessageTokens(line);
    if (budget < 0) break;
    kept.unshift(line);
  }
  return `${action.instruction}\n\n${[...kept, targetLine].join("\n")}`;
}
