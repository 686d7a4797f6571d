// Turns one line typed in the terminal into a Turn: plain text asks, "/command args" runs a command.
import { parseCommandArguments } from "../../src/command-arguments.ts";
import { findCommand } from "../../src/commands.ts";
import type { Author, ConversationKey, Turn } from "../../src/types.ts";

/** The terminal's single conversation. */
export const TERMINAL_CONVERSATION: ConversationKey = {
  platform: "terminal",
  workspace: "local",
  channel: "console",
  thread: "main",
};

/** A line as a Turn, or an explanation of why it is not one. */
export type ParsedLine = { turn: Turn } | { problem: string } | { quit: true } | { empty: true };

/** Parses a line; plain text continues the conversation like a mention would. */
export function parseLine(line: string, author: Author): ParsedLine {
  const text = line.trim();
  if (!text) return { empty: true };
  if (text === "/quit" || text === "/exit") return { quit: true };
  if (!text.startsWith("/")) {
    return { turn: { key: TERMINAL_CONVERSATION, author, kind: "mention", text } };
  }
  const name = text.slice(1).split(/\s+/, 1)[0] ?? "";
  const command = findCommand(name.toLowerCase());
  if (!command) return { problem: `Unknown command /${name}. Type /help for the list.` };
  const parsed = parseCommandArguments(command, text.slice(1 + name.length));
  return {
    turn: {
      key: TERMINAL_CONVERSATION,
      author,
      kind: command.name,
      text: parsed.text,
      options: parsed.options,
    },
  };
}
