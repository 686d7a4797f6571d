// /usage: tokens and real cost per user, channel and workspace, today and this month.
import { afterEach, describe, expect, it } from "vitest";
import { type EngineHarness, startEngineHarness, TEST_KEY } from "../../support/engine-harness.ts";

let harness: EngineHarness;
afterEach(async () => {
  await harness.close();
});

describe("/usage", () => {
  it("adds each exchange's tokens and usd_spent to the caller, the channel and the workspace", async () => {
    harness = await startEngineHarness();
    harness.fake.enqueue(
      { text: "one", usage: { prompt_tokens: 100, completion_tokens: 20 }, usdSpent: 0.25 },
      { text: "two", usage: { prompt_tokens: 200, completion_tokens: 30 }, usdSpent: 0.5 },
      { text: "three", usage: { prompt_tokens: 1_000, completion_tokens: 1 }, usdSpent: 1 },
    );
    await harness.run({ kind: "ask", text: "a" });
    await harness.run({ kind: "ask", text: "b", key: { ...TEST_KEY, thread: "T2" } });
    await harness.run({
      kind: "ask",
      text: "c",
      key: { ...TEST_KEY, channel: "C2", thread: "T3" },
      author: { id: "U2", displayName: "Grace", isBot: false },
    });
    const report = (await harness.run({ kind: "usage", text: "" })).result?.text ?? "";
    const line = (label: string) => report.split("\n").find((row) => row.includes(`**${label}**`)) ?? "";
    expect(line("You")).toContain("today: 350 tokens (300 in, 50 out), $0.75, 2 requests");
    expect(line("This channel")).toContain("today: 350 tokens (300 in, 50 out), $0.75, 2 requests");
    expect(line("This workspace")).toContain("today: 1,351 tokens (1,300 in, 51 out), $1.75, 3 requests");
    expect(line("This workspace")).toContain("this month: 1,351 tokens");
  });
});
