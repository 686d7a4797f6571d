// COMMAND_PREFIX: validated once, and every sentence of the engine that names a command names it as users type it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandFromMessage } from "../../src/command-arguments.ts";
import { commandForName, slashCommand } from "../../src/command-names.ts";
import { COMMANDS } from "../../src/commands.ts";
import { loadConfig } from "../../src/config.ts";
import { ParleyError } from "../../src/errors.ts";
import type { Turn } from "../../src/types.ts";
import { type EngineHarness, startEngineHarness, TEST_KEY } from "../support/engine-harness.ts";
import { scriptedError } from "../support/fake-aimlapi-errors.ts";

/** The configuration problem a value of COMMAND_PREFIX gets, or undefined when it is accepted. */
function prefixProblem(value: string): string | undefined {
  try {
    loadConfig({ AIML_API_KEY: "k", COMMAND_PREFIX: value });
    return undefined;
  } catch (error) {
    return error instanceof ParleyError ? error.userMessage : String(error);
  }
}

describe("COMMAND_PREFIX", () => {
  it("is none by default, and a blank value means the default", () => {
    expect(loadConfig({ AIML_API_KEY: "k" }).commandPrefix).toBe("");
    expect(loadConfig({ AIML_API_KEY: "k", COMMAND_PREFIX: "  " }).commandPrefix).toBe("");
    expect(loadConfig({ AIML_API_KEY: "k", COMMAND_PREFIX: "ai-" }).commandPrefix).toBe("ai-");
    expect(loadConfig({ AIML_API_KEY: "k", COMMAND_PREFIX: "gpt_" }).commandPrefix).toBe("gpt_");
  });

  it("takes only what Discord allows in command names, and says so", () => {
    expect(prefixProblem("AI-")).toBe(
      'Configuration problems (set these in the environment or in .env; .env.example describes each):\nCOMMAND_PREFIX: expected lowercase letters, digits, "-" or "_" (what command names may hold), such as ai-, got "AI-"',
    );
    expect(prefixProblem("ai/")).toContain("COMMAND_PREFIX: expected lowercase letters");
    expect(prefixProblem("a i")).toContain("COMMAND_PREFIX: expected lowercase letters");
  });

  it("refuses a prefix that makes a command longer than Slack's 32 characters, naming that command", () => {
    // "/" + prefix + "search" (the longest name): 32 characters at most.
    const longest = Math.max(...COMMANDS.map((command) => command.name.length));
    expect(prefixProblem("p".repeat(31 - longest))).toBeUndefined();
    const tooLong = "p".repeat(32 - longest);
    const longestName = COMMANDS.find((command) => command.name.length === longest)?.name ?? "";
    expect(prefixProblem(tooLong)).toBe(
      `Configuration problems (set these in the environment or in .env; .env.example describes each):\nCOMMAND_PREFIX: too long: /${tooLong}${longestName} would be 33 characters, and commands may have at most 32, got "${tooLong}"`,
    );
  });
});

describe("command names with a prefix", () => {
  it("prefixes every name and finds the command a prefixed name stands for", () => {
    expect(slashCommand("model", "ai-")).toBe("/ai-model");
    expect(commandForName("ai-reason", "ai-")?.name).toBe("reason");
    expect(commandForName("AI-Reason", "ai-")?.name).toBe("reason");
    expect(commandForName("reason", "ai-")).toBeUndefined();
    expect(commandForName("ai-deploy", "ai-")).toBeUndefined();
    expect(commandForName("ask", "")?.name).toBe("ask");
  });

  it("runs '@parley /ai-reset' (and the plain '/reset') written in a thread as the command", () => {
    const mention = (text: string): Turn => ({
      key: TEST_KEY,
      author: { id: "U1", displayName: "Ada", isBot: false },
      kind: "mention",
      text,
    });
    expect(commandFromMessage(mention("/ai-reset"), "ai-")).toMatchObject({ kind: "reset", text: "" });
    expect(commandFromMessage(mention("/reset"), "ai-")).toMatchObject({ kind: "reset" });
    expect(commandFromMessage(mention("/ai-reason high why?"), "ai-")).toMatchObject({
      kind: "reason",
      text: "why?",
      options: { effort: "high" },
    });
    expect(commandFromMessage(mention("/ai-deploy now"), "ai-")).toMatchObject({
      kind: "mention",
      text: "/ai-deploy now",
    });
    expect(commandFromMessage(mention("/ai-reset"), "")).toMatchObject({ kind: "mention" });
  });
});

describe("the engine's sentences with COMMAND_PREFIX=ai-", () => {
  let harness: EngineHarness;
  beforeAll(async () => {
    harness = await startEngineHarness({ env: { COMMAND_PREFIX: "ai-" }, maxRetries: 0 });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("/help lists every command as users type it", async () => {
    const { result } = await harness.run({ kind: "help" });
    for (const command of COMMANDS) expect(result?.text).toContain(`\`/ai-${command.name}`);
    expect(result?.text).not.toMatch(/`\/(ask|search|reason|model|reset|usage|help)\b/);
  });

  it("/model names /ai-model, /ai-ask, /ai-search and /ai-reason", async () => {
    const shown = await harness.run({ kind: "model", text: "" });
    expect(shown.result?.text).toContain("(/ai-search and /ai-reason use their own)");
    expect(shown.result?.text).toContain("Change it with `/ai-model <name>`.");
    const set = await harness.run({ kind: "model", text: "gpt-4o-mini" });
    expect(set.result?.text).toBe(
      "From now on, /ai-ask, mentions and follow-ups in this thread use `gpt-4o-mini`; /ai-search and /ai-reason keep their own models.",
    );
  });

  it("/ai-reset in a channel with nothing to forget says how to reset a thread, with the prefixed command", async () => {
    const { result } = await harness.run({
      key: { ...TEST_KEY, channel: "C-new", thread: "C-new" },
      kind: "reset",
      text: "",
    });
    expect(result?.text).toBe(
      "There is nothing to forget here yet. To reset a thread, write `/ai-reset` in it.",
    );
    const slack = await harness.run({
      key: { platform: "slack", workspace: "W1", channel: "C-new", thread: "C-new" },
      kind: "reset",
      text: "",
    });
    expect(slack.result?.text).toBe(
      "There is nothing to forget here yet. To reset a thread, write `@parley /ai-reset` in it.",
    );
  });

  it("an empty prompt gets an example with the prefixed command", async () => {
    expect((await harness.run({ kind: "ask", text: " " })).error?.error.userMessage).toBe(
      "Please include a prompt, for example `/ai-ask what is a monad?`.",
    );
    expect((await harness.run({ kind: "search", text: "" })).error?.error.userMessage).toBe(
      "Please include a prompt, for example `/ai-search latest Node.js LTS`.",
    );
  });

  it("a model the provider does not have points to /ai-model", async () => {
    harness.fake.enqueue(scriptedError(404, "Model not found"));
    const { error } = await harness.run({ key: { ...TEST_KEY, thread: "T-404" }, kind: "ask", text: "hi" });
    expect(error?.error.code).toBe("model_unavailable");
    expect(error?.error.userMessage).toContain("Pick another with `/ai-model <name>`.");
  });
});

describe("the engine's sentences without a prefix", () => {
  it("name the plain commands", async () => {
    const harness = await startEngineHarness({ maxRetries: 0 });
    try {
      const { result } = await harness.run({ kind: "model", text: "" });
      expect(result?.text).toContain("Change it with `/model <name>`.");
      const help = await harness.run({ kind: "help" });
      expect(help.result?.text).toContain(`\`${slashCommand("ask", "")} <prompt>\``);
    } finally {
      await harness.close();
    }
  });
});
