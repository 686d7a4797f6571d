// Which model each command reaches, and that every request fits that model's spec.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type EngineHarness, startEngineHarness, TEST_KEY } from "../../support/engine-harness.ts";
import { validateProviderRequest } from "../../support/provider-specs.ts";

let harness: EngineHarness;
beforeEach(async () => {
  harness = await startEngineHarness();
});
afterEach(async () => {
  await harness.close();
});

function expectAllRequestsValid() {
  const bodies = harness.fake.chatRequests();
  expect(bodies.length).toBeGreaterThan(0);
  for (const body of bodies) {
    const check = validateProviderRequest(body);
    expect(check.errors, `${body.model}: ${check.errors.join("; ")}`).toEqual([]);
    expect(check.ok).toBe(true);
  }
}

describe("model routing", () => {
  it("sends /ask to MODEL_CHAT, streamed with usage and an output limit", async () => {
    const outcome = await harness.run({ kind: "ask", text: "hello there" });
    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe("Echo: Ada: hello there");
    const [body] = harness.fake.chatRequests();
    expect(body).toMatchObject({
      model: "openai/gpt-4.1-mini-2025-04-14",
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 2048,
    });
    expect(body?.messages[0]).toMatchObject({ role: "system" });
    expectAllRequestsValid();
  });

  it("uses the /ask model option when it is allowed", async () => {
    await harness.run({ kind: "ask", text: "hi", options: { model: "GPT-4o-mini" } });
    expect(harness.fake.chatRequests()[0]?.model).toBe("gpt-4o-mini");
    expectAllRequestsValid();
  });

  it("rejects an unknown model, lists the allowed ones and calls nobody", async () => {
    const outcome = await harness.run({ kind: "ask", text: "hi", options: { model: "gpt-9" } });
    expect(outcome.error?.error.code).toBe("bad_input");
    expect(outcome.error?.error.userMessage).toContain('Unknown model "gpt-9"');
    expect(outcome.error?.error.userMessage).toContain("gpt-4o-mini");
    expect(harness.fake.chatRequests()).toHaveLength(0);
  });

  it("follows the channel's /model choice for /ask, mentions and its threads", async () => {
    const channelItself = { platform: "test", workspace: "W1", channel: "C1", thread: "C1" };
    const set = await harness.run({ kind: "model", text: "gpt-4o-mini", key: channelItself });
    expect(set.result?.text).toContain("in this channel");
    expect(set.result?.text).toContain("`gpt-4o-mini`");
    const shown = await harness.run({ kind: "model", text: "", key: channelItself });
    expect(shown.result?.text).toContain("The chat model of this channel is `gpt-4o-mini`");
    await harness.run({ kind: "ask", text: "one", key: channelItself });
    await harness.run({
      kind: "mention",
      text: "two",
      key: { platform: "test", workspace: "W1", channel: "C1", thread: "T9" },
    });
    expect(harness.fake.chatRequests().map((body) => body.model)).toEqual(["gpt-4o-mini", "gpt-4o-mini"]);
  });

  it("takes /model in a thread for that thread only; the channel and its other threads keep theirs", async () => {
    const otherThread = { platform: "test", workspace: "W1", channel: "C1", thread: "T2" };
    const set = await harness.run({ kind: "model", text: "gpt-4o-mini" });
    expect(set.result?.text).toContain("in this thread use `gpt-4o-mini`");
    expect((await harness.run({ kind: "model", text: "" })).result?.text).toContain(
      "The chat model of this thread is `gpt-4o-mini`",
    );
    await harness.run({ kind: "follow-up", text: "in the thread" });
    await harness.run({ kind: "follow-up", text: "in another thread", key: otherThread });
    expect(harness.fake.chatRequests().map((body) => body.model)).toEqual([
      "gpt-4o-mini",
      "openai/gpt-4.1-mini-2025-04-14",
    ]);
  });

  it("never lets a conversation inherit the reasoning or search model for its plain turns", async () => {
    await harness.run({ kind: "reason", text: "think hard" });
    await harness.run({ kind: "follow-up", text: "and plainly?" });
    await harness.run({ kind: "search", text: "latest news" });
    await harness.run({ kind: "mention", text: "plain again" });
    await harness.run({ kind: "ask", text: "and once more" });
    const models = harness.fake.chatRequests().map((body) => body.model);
    expect(models).toEqual([
      "openai/o4-mini-2025-04-16",
      "openai/gpt-4.1-mini-2025-04-14",
      "gpt-4o-mini-search-preview",
      "openai/gpt-4.1-mini-2025-04-14",
      "openai/gpt-4.1-mini-2025-04-14",
    ]);
    // One conversation throughout: the last request carries every earlier exchange.
    const lastHistory =
      harness.fake
        .chatRequests()
        .at(-1)
        ?.messages.map((message) => message.content) ?? [];
    expect(JSON.stringify(lastHistory)).toContain("think hard");
    expect(JSON.stringify(lastHistory)).toContain("latest news");
    expectAllRequestsValid();
  });

  it("sends /reason to MODEL_REASON with the effort and a generous max_completion_tokens", async () => {
    await harness.run({ kind: "reason", text: "prove it", options: { effort: "high" } });
    const [body] = harness.fake.chatRequests();
    expect(body).toMatchObject({ model: "openai/o4-mini-2025-04-16", reasoning_effort: "high" });
    expect(body).not.toHaveProperty("temperature");
    expect(body).not.toHaveProperty("max_tokens");
    expect(
      (body as unknown as { max_completion_tokens: number }).max_completion_tokens,
    ).toBeGreaterThanOrEqual(16_000);
    expectAllRequestsValid();
  });

  it("rejects an unknown effort without calling the provider, however the turn arrived", async () => {
    // As Discord would send it (its menu prevents this, the engine does not rely on that) …
    const outcome = await harness.run({ kind: "reason", text: "x", options: { effort: "extreme" } });
    expect(outcome.error?.error.code).toBe("bad_input");
    expect(outcome.error?.error.userMessage).toBe('effort must be low, medium or high, not "extreme".');
    // … and as a mention that starts with the command, parsed from text like Slack and the terminal do.
    for (const text of ["/reason extreme why", "/reason effort:MAX why", "/reason effort: why"]) {
      const mention = await harness.run({ kind: "mention", text });
      expect(mention.error?.error.userMessage, text).toMatch(/^effort must be low, medium or high/);
    }
    expect(harness.fake.chatRequests()).toHaveLength(0);
    // A choice is accepted in any case and sent as the registry spells it.
    await harness.run({ kind: "mention", text: "/reason HIGH why is the sky blue" });
    expect(harness.fake.chatRequests()[0]).toMatchObject({ reasoning_effort: "high" });
  });

  it("rejects a model outside MODEL_ALLOW given as an option in text, naming the allowed ones", async () => {
    const outcome = await harness.run({ kind: "mention", text: "/ask model:gpt-9 hi" });
    expect(outcome.error?.error.userMessage).toContain('Unknown model "gpt-9". Allowed models:');
    const setting = await harness.run({ kind: "mention", text: "/model gpt-9" });
    expect(setting.error?.error.userMessage).toContain('Unknown model "gpt-9". Allowed models:');
    expect(harness.fake.chatRequests()).toHaveLength(0);
  });

  it("sends /search to MODEL_SEARCH with only the parameters a search-preview model accepts", async () => {
    const outcome = await harness.run({ kind: "search", text: "news" });
    expect(outcome.events[0]).toEqual({ type: "status", text: "Searching the web…" });
    const [body] = harness.fake.chatRequests();
    expect(body?.model).toBe("gpt-4o-mini-search-preview");
    expect(Object.keys(body ?? {}).sort()).toEqual(["max_tokens", "messages", "model", "stream"]);
    expectAllRequestsValid();
  });

  it("answers an empty or an over-long prompt without calling the provider", async () => {
    const empty = await harness.run({ kind: "ask", text: "   " });
    expect(empty.error?.error.userMessage).toContain("Please include a prompt");
    const long = await harness.run({ kind: "ask", text: "x".repeat(8_001) });
    expect(long.error?.error.userMessage).toContain("8,001 characters; the limit is 8,000");
    expect(harness.fake.chatRequests()).toHaveLength(0);
  });

  it("sends the listed id when a model is configured by an alias the spec does not name", async () => {
    await harness.close();
    harness = await startEngineHarness({
      env: { MODEL_CHAT: "gpt-4.1-mini", MODEL_REASON: "o4-mini-2025-04-16" },
    });
    await harness.run({ kind: "ask", text: "hi" });
    await harness.run({ kind: "reason", text: "why?", key: { ...TEST_KEY, thread: "T2" } });
    expect(harness.fake.chatRequests().map((body) => body.model)).toEqual([
      "openai/gpt-4.1-mini-2025-04-14",
      "openai/o4-mini-2025-04-16",
    ]);
    expectAllRequestsValid();
  });
});
