// Sentences that tell the user what to do name a command that works where they are: in a Slack thread, a mention.
import { afterEach, describe, expect, it } from "vitest";
import type { ConversationKey } from "../../../src/types.ts";
import { type EngineHarness, startEngineHarness } from "../../support/engine-harness.ts";
import { copyDefaultFakeModels } from "../../support/fake-aimlapi.ts";

const slackThread: ConversationKey = {
  platform: "slack",
  workspace: "T1",
  channel: "C1",
  thread: "1710000000.000100",
};
const slackChannel: ConversationKey = { platform: "slack", workspace: "T1", channel: "C1", thread: "C1" };
const discordThread: ConversationKey = { platform: "discord", workspace: "G1", channel: "C1", thread: "T9" };
const discordChannel: ConversationKey = { platform: "discord", workspace: "G1", channel: "C1", thread: "C1" };
const terminal: ConversationKey = {
  platform: "terminal",
  workspace: "local",
  channel: "console",
  thread: "main",
};

let harness: EngineHarness;
afterEach(async () => {
  await harness?.close();
});

describe("a model the provider does not have", () => {
  it("is answered with the /model remedy written for the conversation the turn is in", async () => {
    harness = await startEngineHarness({ maxRetries: 0 });
    const said = async (key: ConversationKey) => {
      harness.fake.enqueue({ error: { status: 404, message: "Model not found" } });
      return (await harness.run({ key, kind: "mention", text: "hello" })).error?.error.userMessage;
    };
    expect(await said(slackThread)).toBe(
      'The model openai/gpt-4.1-mini-2025-04-14 is not available from the provider. Pick another with `@parley /model <name>`. The provider said: "Model not found"',
    );
    expect(await said(discordThread)).toBe(
      'The model openai/gpt-4.1-mini-2025-04-14 is not available from the provider. Pick another with `/model <name>`. The provider said: "Model not found"',
    );
    expect(await said(terminal)).toBe(
      'The model openai/gpt-4.1-mini-2025-04-14 is not available from the provider. Pick another with `/model <name>`. The provider said: "Model not found"',
    );
  });

  it("sends /reason and /search, whose models /model does not choose, to an admin", async () => {
    harness = await startEngineHarness({ maxRetries: 0 });
    harness.fake.enqueue(
      { error: { status: 404, message: "Model not found" } },
      { error: { status: 404, message: "Model not found" } },
    );
    const reason = await harness.run({ key: slackThread, kind: "reason", text: "why?" });
    expect(reason.error?.error.userMessage).toBe(
      'The model openai/o4-mini-2025-04-16 is not available from the provider. An admin needs to change MODEL_REASON. The provider said: "Model not found"',
    );
    const search = await harness.run({ key: slackThread, kind: "search", text: "news" });
    expect(search.error?.error.userMessage).toBe(
      'The model gpt-4o-mini-search-preview is not available from the provider. An admin needs to change MODEL_SEARCH. The provider said: "Model not found"',
    );
  });

  it("is refused before the call when the provider's list lacks it, with the remedy for the Slack thread", async () => {
    harness = await startEngineHarness({
      fake: { models: copyDefaultFakeModels().filter((model) => model.id !== "gpt-4o-mini") },
    });
    const chosen = await harness.run({ key: slackThread, kind: "model", text: "gpt-4o-mini" });
    expect(chosen.result?.text).toBe(
      "From now on, /ask, mentions and follow-ups in this thread use `gpt-4o-mini`; /search and /reason keep their own models.\n⚠️ The provider does not list `gpt-4o-mini` right now.",
    );
    const asked = await harness.run({ key: slackThread, kind: "follow-up", text: "hello" });
    expect(asked.error?.error.userMessage).toBe(
      "The model gpt-4o-mini is not offered by the provider right now. Close matches: perplexity/sonar, gpt-4o-mini-search-preview, openai/o4-mini-2025-04-16. Pick another with `@parley /model <name>`.",
    );
    expect(harness.fake.chatRequests()).toHaveLength(0);
  });
});

describe("an empty prompt", () => {
  it("gets an example written the way that reaches the conversation", async () => {
    harness = await startEngineHarness();
    const example = async (key: ConversationKey, kind: "mention" | "search" | "ask") =>
      (await harness.run({ key, kind, text: " " })).error?.error.userMessage;
    expect(await example(slackThread, "mention")).toBe(
      "Please include a prompt, for example `@parley what is a monad?`.",
    );
    expect(await example(slackChannel, "search")).toBe(
      "Please include a prompt, for example `/search latest Node.js LTS`.",
    );
    expect(await example(discordChannel, "ask")).toBe(
      "Please include a prompt, for example `/ask what is a monad?`.",
    );
    expect(harness.fake.chatRequests()).toHaveLength(0);
  });
});

describe("/model and /reset", () => {
  it("tell how to change the model with the command that works here", async () => {
    harness = await startEngineHarness();
    const shown = async (key: ConversationKey) =>
      (await harness.run({ key, kind: "model", text: "" })).result?.text;
    const allowed =
      "Allowed models: `openai/gpt-4.1-mini-2025-04-14`, `gpt-4o-mini-search-preview`, `openai/o4-mini-2025-04-16`, `gpt-4o-mini`.";
    expect(await shown(slackThread)).toBe(
      `The chat model of this thread is \`openai/gpt-4.1-mini-2025-04-14\` (/search and /reason use their own).\n${allowed}\nChange it with \`@parley /model <name>\`.`,
    );
    expect(await shown(discordChannel)).toBe(
      `The chat model of this channel is \`openai/gpt-4.1-mini-2025-04-14\` (/search and /reason use their own).\n${allowed}\nChange it with \`/model <name>\`.`,
    );
    expect(await shown(terminal)).toBe(
      `The chat model of this conversation is \`openai/gpt-4.1-mini-2025-04-14\` (/search and /reason use their own).\n${allowed}\nChange it with \`/model <name>\`.`,
    );
    expect((await harness.run({ key: terminal, kind: "model", text: "gpt-4o-mini" })).result?.text).toBe(
      "From now on, /ask and plain messages here use `gpt-4o-mini`; /search and /reason keep their own models.",
    );
  });

  it("says how to reset a thread from outside one, as the platform allows", async () => {
    harness = await startEngineHarness();
    const nothing = async (key: ConversationKey) =>
      (await harness.run({ key, kind: "reset", text: "" })).result?.text;
    expect(await nothing(slackChannel)).toBe(
      "There is nothing to forget here yet. To reset a thread, write `@parley /reset` in it.",
    );
    expect(await nothing(discordChannel)).toBe(
      "There is nothing to forget here yet. To reset a thread, write `/reset` in it.",
    );
    expect(await nothing(slackThread)).toBe("There is nothing to forget here yet.");
    expect(await nothing(terminal)).toBe("There is nothing to forget here yet.");
  });
});
