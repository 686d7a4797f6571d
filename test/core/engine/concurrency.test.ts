// Turns in one conversation run in order; different conversations run side by side.
import { afterEach, describe, expect, it } from "vitest";
import { type EngineHarness, startEngineHarness, TEST_KEY } from "../../support/engine-harness.ts";

let harness: EngineHarness;
afterEach(async () => {
  await harness.close();
});

describe("concurrency", () => {
  it("answers two turns arriving at once in one conversation one after the other, both in history", async () => {
    harness = await startEngineHarness();
    harness.fake.enqueue({ text: "first answer", firstChunkDelayMs: 300 }, { text: "second answer" });
    const [first, second] = await Promise.all([
      harness.run({ kind: "follow-up", text: "first question" }),
      harness.run({
        kind: "follow-up",
        text: "second question",
        author: { id: "U2", displayName: "Grace", isBot: false },
      }),
    ]);
    expect(first.result?.text).toBe("first answer");
    expect(second.result?.text).toBe("second answer");
    const secondRequest = harness.fake.chatRequests()[1];
    expect(secondRequest?.messages.slice(1).map((message) => message.content)).toEqual([
      "Ada: first question",
      "first answer",
      "Grace: second question",
    ]);
  });

  it("runs different conversations in parallel", async () => {
    harness = await startEngineHarness();
    harness.fake.enqueue({ text: "a", firstChunkDelayMs: 600 }, { text: "b", firstChunkDelayMs: 600 });
    const startedAt = Date.now();
    await Promise.all([
      harness.run({ kind: "ask", text: "one" }),
      harness.run({ kind: "ask", text: "two", key: { ...TEST_KEY, thread: "other" } }),
    ]);
    expect(Date.now() - startedAt).toBeLessThan(1_100);
  });
});
