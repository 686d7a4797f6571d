// Subcommands typed on one line (Slack, the terminal, "@parley /settings …" in a thread).
import { describe, expect, it } from "vitest";
import { commandFromMessage, parseTypedArguments } from "../../src/command-arguments.ts";
import { findCommand } from "../../src/commands.ts";

const settings = findCommand("settings");
if (!settings) throw new Error("the registry has no /settings");

describe("parseTypedArguments", () => {
  it("takes the subcommand, then its options as the registry declares them", () => {
    expect(parseTypedArguments(settings, "model search perplexity/sonar")).toEqual({
      subcommand: "model",
      text: "perplexity/sonar",
      options: { command: "search" },
    });
    expect(parseTypedArguments(settings, "PROMPT You are terse.\nAlways.")).toEqual({
      subcommand: "prompt",
      text: "You are terse.\nAlways.",
      options: {},
    });
    expect(parseTypedArguments(settings, "limit channel 200000")).toEqual({
      subcommand: "limit",
      text: "200000",
      options: { scope: "channel" },
    });
  });

  it("has no subcommand for an empty line, and keeps an unknown one for the engine to explain", () => {
    expect(parseTypedArguments(settings, "  ")).toEqual({ text: "", options: {} });
    expect(parseTypedArguments(settings, "colour blue")).toEqual({
      subcommand: "colour",
      text: "blue",
      options: {},
    });
  });

  it("reads a command written in a thread message", () => {
    const turn = commandFromMessage(
      {
        key: { platform: "slack", workspace: "T1", channel: "C1", thread: "1.2" },
        author: { id: "U1", displayName: "Ann", isBot: false },
        kind: "mention",
        text: "/settings prompt Be brief.",
      },
      "",
    );
    expect(turn).toMatchObject({ kind: "settings", subcommand: "prompt", text: "Be brief." });
  });
});
