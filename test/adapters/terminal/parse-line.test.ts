// The terminal's line parser: plain text asks, slash commands carry their options.
import { describe, expect, it } from "vitest";
import { parseLine } from "../../../adapters/terminal/parse-line.ts";

const author = { id: "me", displayName: "You", isBot: false };

describe("parseLine", () => {
  it("treats plain text as a turn in the terminal conversation", () => {
    expect(parseLine("  hello there ", author)).toMatchObject({
      turn: { kind: "mention", text: "hello there" },
    });
  });

  it("reads /reason's effort and /ask's model", () => {
    expect(parseLine("/reason high why is the sky blue?", author)).toMatchObject({
      turn: { kind: "reason", text: "why is the sky blue?", options: { effort: "high" } },
    });
    expect(parseLine("/reason why so?", author)).toMatchObject({
      turn: { kind: "reason", text: "why so?", options: {} },
    });
    expect(parseLine("/ask model:gpt-4o-mini hi", author)).toMatchObject({
      turn: { kind: "ask", text: "hi", options: { model: "gpt-4o-mini" } },
    });
    expect(parseLine("/model gpt-4o-mini", author)).toMatchObject({
      turn: { kind: "model", text: "gpt-4o-mini" },
    });
    expect(parseLine("/search latest node", author)).toMatchObject({
      turn: { kind: "search", text: "latest node" },
    });
  });

  it("explains an unknown command, and knows blank lines and /quit", () => {
    expect(parseLine("/dance now", author)).toEqual({
      problem: "Unknown command /dance. Type /help for the list.",
    });
    expect(parseLine("   ", author)).toEqual({ empty: true });
    expect(parseLine("/quit", author)).toEqual({ quit: true });
  });
});
