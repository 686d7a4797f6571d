// Options read off a command's text as the registry declares them (Slack and the terminal use this).
import { describe, expect, it } from "vitest";
import { parseCommandArguments } from "../../src/command-arguments.ts";
import { findCommand } from "../../src/commands.ts";

const spec = (name: string) => {
  const found = findCommand(name);
  if (!found) throw new Error(`no command ${name}`);
  return found;
};

describe("parseCommandArguments", () => {
  it("takes a leading effort word for /reason", () => {
    expect(parseCommandArguments(spec("reason"), "high why is the sky blue")).toEqual({
      text: "why is the sky blue",
      options: { effort: "high" },
    });
    expect(parseCommandArguments(spec("reason"), "effort:LOW prove it").options).toEqual({ effort: "LOW" });
    expect(parseCommandArguments(spec("reason"), "Medium prove it").options).toEqual({ effort: "Medium" });
  });

  it("does not take a choice word for /ask, and takes model:name", () => {
    expect(parseCommandArguments(spec("ask"), "high tide times")).toEqual({
      text: "high tide times",
      options: {},
    });
    expect(parseCommandArguments(spec("ask"), "model:gpt-4o-mini hi there")).toEqual({
      text: "hi there",
      options: { model: "gpt-4o-mini" },
    });
  });

  it("leaves words that only look like options in the text", () => {
    expect(parseCommandArguments(spec("ask"), "time: what is it").text).toBe("time: what is it");
    expect(parseCommandArguments(spec("reason"), "why high").options).toEqual({});
  });

  it("takes a mistyped effort as the effort, so the engine can refuse it instead of sending it as the prompt", () => {
    for (const word of ["extreme", "MAX", "none", "minimal", "xhigh", "ultra", "highest", "med"]) {
      expect(parseCommandArguments(spec("reason"), `${word} why is the sky blue`), word).toEqual({
        text: "why is the sky blue",
        options: { effort: word },
      });
    }
    expect(parseCommandArguments(spec("reason"), "effort:extreme why").options).toEqual({
      effort: "extreme",
    });
    expect(parseCommandArguments(spec("reason"), "effort: high why")).toEqual({
      text: "why",
      options: { effort: "high" },
    });
    expect(parseCommandArguments(spec("reason"), "effort:").options).toEqual({ effort: "" });
  });

  it("keeps ordinary first words in the prompt", () => {
    for (const prompt of [
      "why is the sky blue",
      "is P equal to NP?",
      "hard problems: what makes them hard",
    ]) {
      expect(parseCommandArguments(spec("reason"), prompt), prompt).toEqual({ text: prompt, options: {} });
    }
    // Lookalikes are the effort's only: /ask takes no effort.
    expect(parseCommandArguments(spec("ask"), "max speed of light").text).toBe("max speed of light");
  });

  it("gives /model its argument as the text", () => {
    expect(parseCommandArguments(spec("model"), " gpt-4o-mini ")).toEqual({
      text: "gpt-4o-mini",
      options: {},
    });
  });
});
