// Turns one line typed in the terminal into a Turn: plain text asks, "/command args" runs a command.
import { parseTypedArguments } from "../../src/command-arguments.ts";
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
    return { turn: { key: TERMINAL_CONVERSATION, author, kind: "mention", text, venue: "console" } };
  }
  const name = text.slice(1).split(/\s+/, 1)[0] ?? "";
  const command = findCommand(name.toLowerCase());
  if (!command) return { problem: `Unknown command /${name}. Type /help for the list.` };
  const parsed = parseTypedArguments(command, text.slice(1 + name.length));
  return {
    turn: {
      key: TERMINAL_CONVERSATION,
      author,
      kind: command.name,
      text: parsed.text,
      options: parsed.options,
      ...(parsed.subcommand === undefined ? {} : { subcommand: parsed.subcommand }),
      // The person at the console runs parley: no allow-list applies, and they are its admin.
      venue: "console",
    },
  };
}
