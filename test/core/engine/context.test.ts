// History: trimmed to the model's window (oldest first, system prompt kept), bounded in store, kept across restarts.
import { afterEach, describe, expect, it } from "vitest";
import { MAX_STORED_MESSAGES } from "../../../src/context/conversation-store.ts";
import { trimToWindow } from "../../../src/context/trim.ts";
import { conversationId } from "../../../src/types.ts";
import { collect, type EngineHarness, startEngineHarness, TEST_KEY } from "../../support/engine-harness.ts";
import { copyDefaultFakeModels } from "../../support/fake-aimlapi.ts";

let harness: EngineHarness;
afterEach(async () => {
  await harness?.close();
});

describe("trimToWindow", () => {
  const history = Array.from({ length: 10 }, (_, index) => ({
    role: index % 2 === 0 ? ("user" as const) : ("assistant" as const),
    content: `message ${index} ${"word ".repeat(100)}`,
    tokens: 110,
  }));

  it("keeps the system prompt and the newest messages that fit", () => {
    const { messages, droppedMessages } = trimToWindow({
      systemPrompt: "You are parley.",
      history,
      current: { role: "user", content: "now" },
      contextWindowTokens: 256 + 100 + 500 + 30,
      outputBudgetTokens: 100,
    });
    expect(messages[0]).toEqual({ role: "system", content: "You are parley." });
    expect(messages.at(-1)).toEqual({ role: "user", content: "now" });
    // 500 tokens hold four 110-token messages; the window must not start on an assistant reply.
    expect(messages.slice(1, -1).map((message) => message.content.split(" ").slice(0, 2).join(" "))).toEqual([
      "message 6",
      "message 7",
      "message 8",
      "message 9",
    ]);
    expect(droppedMessages).toBe(6);
  });

  it("refuses a current message larger than the window", () => {
    expect(() =>
      trimToWindow({
        systemPrompt: "s",
        history: [],
        current: { role: "user", content: "word ".repeat(2_000) },
        contextWindowTokens: 1_000,
        outputBudgetTokens: 100,
      }),
    ).toThrow(/too long for this model's context window/);
  });
});

describe("conversation history", () => {
  it("drops the oldest turns when the model's window is small", async () => {
    const models = copyDefaultFakeModels();
    const small = models.find((model) => model.id === "gpt-4o-mini");
    if (small) small.info.contextLength = 3_000;
    harness = await startEngineHarness({
      fake: { models },
      env: { MODEL_CHAT: "gpt-4o-mini", MAX_OUTPUT_TOKENS: "1000" },
    });
    const filler = "lorem ipsum dolor sit amet ".repeat(60);
    for (let turn = 1; turn <= 6; turn += 1) {
      await harness.run({ kind: "follow-up", text: `turn ${turn} ${filler}` });
    }
    const last = harness.fake.chatRequests().at(-1);
    const texts = (last?.messages ?? []).map((message) => String(message.content));
    expect(last?.messages[0]?.role).toBe("system");
    expect(texts.at(-1)).toContain("turn 6");
    expect(texts.some((text) => text.includes("turn 1 "))).toBe(false);
    expect(texts.some((text) => text.includes("turn 5 "))).toBe(true);
  });

  it("stores a bounded history", async () => {
    harness = await startEngineHarness();
    for (let turn = 0; turn < MAX_STORED_MESSAGES / 2 + 5; turn += 1) {
      await harness.run({ kind: "follow-up", text: `t${turn}` });
    }
    const stored = await harness.parley.engine.hasConversation(TEST_KEY);
    expect(stored).toBe(true);
    const last = harness.fake.chatRequests().at(-1);
    // system + MAX_STORED_MESSAGES of history + the current message
    expect(last?.messages).toHaveLength(MAX_STORED_MESSAGES + 2);
    // 105 turns: the 105th request carries the last 100 exchanges, t4 to t103.
    expect(String(last?.messages[1]?.content)).toBe("Ada: t4");
  });

  it("survives a restart on the SQLite file", async () => {
    harness = await startEngineHarness();
    await harness.run({ kind: "ask", text: "remember the number 42" });
    const restarted = await harness.restart();
    await collect(
      restarted.engine.reply({
        key: TEST_KEY,
        author: { id: "U2", displayName: "Grace", isBot: false },
        kind: "follow-up",
        text: "which number?",
      }),
    );
    const last = harness.fake.chatRequests().at(-1);
    expect(last?.messages.map((message) => message.content)).toEqual([
      expect.any(String),
      "Ada: remember the number 42",
      "Echo: Ada: remember the number 42",
      "Grace: which number?",
    ]);
    expect(conversationId(TEST_KEY)).toBe("test:W1:C1:T1");
  });

  it("forgets a conversation on /reset but keeps answering in its thread", async () => {
    harness = await startEngineHarness();
    await harness.run({ kind: "ask", text: "secret plan" });
    const reset = await harness.run({ kind: "reset", text: "" });
    expect(reset.result?.text).toContain("forgot this conversation");
    expect(await harness.parley.engine.hasConversation(TEST_KEY)).toBe(true);
    await harness.run({ kind: "follow-up", text: "what was the plan?" });
    const last = harness.fake.chatRequests().at(-1);
    expect(last?.messages).toHaveLength(2);
  });

  it("runs a command written in a thread message, and says when there is nothing to reset", async () => {
    harness = await startEngineHarness();
    const nothing = await harness.run({ kind: "reset", text: "" });
    // The test conversation is a thread already: there is no other place to point to.
    expect(nothing.result?.text).toBe("There is nothing to forget here yet.");
    await harness.run({ kind: "mention", text: "secret plan" });
    const reset = await harness.run({ kind: "follow-up", text: "/reset" });
    expect(reset.result?.text).toContain("forgot this conversation");
    await harness.run({ kind: "follow-up", text: "what was the plan?" });
    expect(harness.fake.chatRequests().at(-1)?.messages).toHaveLength(2);
    expect(harness.fake.chatRequests()).toHaveLength(2);
  });

  it("counts a thread as parley's from its first turn, while that answer still streams", async () => {
    harness = await startEngineHarness();
    harness.fake.enqueue({ text: "a slow first answer", firstChunkDelayMs: 400 });
    const first = harness.run({ kind: "mention", text: "first" });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await harness.parley.engine.hasConversation(TEST_KEY)).toBe(true);
    await first;
  });
});
