// The limits every model turn passes before the provider: tokens per day, dollars per month, rate and answers at once.
import { afterEach, describe, expect, it } from "vitest";
import { renderReply } from "../../../src/render/render-reply.ts";
import { type EngineHarness, startEngineHarness, TEST_KEY } from "../../support/engine-harness.ts";

let harness: EngineHarness;
afterEach(async () => {
  await harness?.close();
});

/** A clock the test moves: 15 July 2030, 20:48 UTC, unless set. */
function testClock(startMs = Date.UTC(2030, 6, 15, 20, 48)) {
  let nowMs = startMs;
  return {
    now: () => new Date(nowMs),
    set: (ms: number) => {
      nowMs = ms;
    },
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
}

const grace = { id: "U2", displayName: "Grace", isBot: false };

describe("daily token limits", () => {
  it("refuses the turn after the user's daily tokens are used up, without calling the provider, until 00:00 UTC", async () => {
    const clock = testClock();
    harness = await startEngineHarness({ env: { LIMIT_USER_DAILY_TOKENS: "150" }, now: clock.now });
    harness.fake.enqueue(
      { usage: { prompt_tokens: 100, completion_tokens: 20 } },
      { usage: { prompt_tokens: 100, completion_tokens: 20 } },
    );
    expect((await harness.run({ text: "one" })).result?.text).toBe("Echo: Ada: one");
    // 120 of 150: the next turn still starts (limits are checked before a turn, not during it).
    expect((await harness.run({ text: "two" })).result?.text).toBe("Echo: Ada: two");
    const refused = await harness.run({ text: "three" });
    expect(refused.error?.error.code).toBe("limit_reached");
    expect(refused.error?.error.userMessage).toBe(
      "Your daily limit of 150 tokens is used up (240 used today); it resets at 00:00 UTC (in 3 h 12 min).",
    );
    expect(harness.fake.chatRequests()).toHaveLength(2);
    // Someone else in the channel is not refused by Ada's limit.
    expect((await harness.run({ text: "mine", author: grace })).result?.text).toBe("Echo: Grace: mine");

    clock.set(Date.UTC(2030, 6, 16, 0, 0, 1));
    expect((await harness.run({ text: "a new day" })).result?.text).toBe("Echo: Ada: a new day");
  });

  it("counts the whole channel's tokens against LIMIT_CHANNEL_DAILY_TOKENS, its threads included", async () => {
    const clock = testClock(Date.UTC(2030, 0, 31, 23, 59, 30));
    harness = await startEngineHarness({ env: { LIMIT_CHANNEL_DAILY_TOKENS: "1000" }, now: clock.now });
    harness.fake.enqueue({ usage: { prompt_tokens: 900, completion_tokens: 100 } });
    await harness.run({ text: "a big one", key: { ...TEST_KEY, thread: "T7" } });
    const refused = await harness.run({ text: "me too", author: grace });
    expect(refused.error?.error.userMessage).toBe(
      "This channel's daily limit of 1,000 tokens is used up (1,000 used today); it resets at 00:00 UTC (in 30 s).",
    );
    const elsewhere = await harness.run({
      text: "elsewhere",
      key: { ...TEST_KEY, channel: "C2", thread: "T9" },
    });
    expect(elsewhere.result?.text).toBe("Echo: Ada: elsewhere");
  });

  it("counts every channel of the workspace against LIMIT_WORKSPACE_DAILY_TOKENS", async () => {
    harness = await startEngineHarness({
      env: { LIMIT_WORKSPACE_DAILY_TOKENS: "500" },
      now: testClock().now,
    });
    harness.fake.enqueue({ usage: { prompt_tokens: 400, completion_tokens: 150 } });
    await harness.run({ text: "in C1" });
    const refused = await harness.run({ text: "in C2", key: { ...TEST_KEY, channel: "C2", thread: "C2" } });
    expect(refused.error?.error.userMessage).toBe(
      "This workspace's daily limit of 500 tokens is used up (550 used today); it resets at 00:00 UTC (in 3 h 12 min).",
    );
    const otherWorkspace = await harness.run({ text: "hi", key: { ...TEST_KEY, workspace: "W2" } });
    expect(otherWorkspace.result?.text).toBe("Echo: Ada: hi");
  });
});

describe("the monthly budget", () => {
  it("refuses once the provider's reported cost reaches LIMIT_WORKSPACE_MONTHLY_USD, until the 1st", async () => {
    const clock = testClock(Date.UTC(2030, 6, 19, 21, 0));
    harness = await startEngineHarness({ env: { LIMIT_WORKSPACE_MONTHLY_USD: "1" }, now: clock.now });
    harness.fake.enqueue({ usdSpent: 0.75 }, { usdSpent: 0.5 });
    await harness.run({ text: "one" });
    await harness.run({ text: "two", author: grace });
    const refused = await harness.run({ text: "three" });
    expect(refused.error?.error.userMessage).toBe(
      "This workspace's monthly budget of $1.00 is used up ($1.25 spent this month); it resets on 1 August at 00:00 UTC (in 12 days 3 h).",
    );
    expect(harness.fake.chatRequests()).toHaveLength(2);
    clock.set(Date.UTC(2030, 7, 1, 0, 0));
    expect((await harness.run({ text: "august" })).result?.text).toBe("Echo: Ada: august");
  });
});

describe("the rate limit", () => {
  it("allows LIMIT_USER_TURNS_PER_MINUTE turns in any 60 seconds, per person", async () => {
    const clock = testClock();
    harness = await startEngineHarness({ env: { LIMIT_USER_TURNS_PER_MINUTE: "2" }, now: clock.now });
    await harness.run({ text: "one" });
    clock.advance(20_000);
    await harness.run({ text: "two" });
    clock.advance(10_000);
    const refused = await harness.run({ text: "three" });
    expect(refused.error?.error.userMessage).toBe(
      "Your limit of 2 questions a minute is reached (2 in the last minute); you can ask again in 30 s.",
    );
    expect((await harness.run({ text: "grace's", author: grace })).result?.text).toBe("Echo: Grace: grace's");
    // Commands that call no model are never limited.
    expect((await harness.run({ kind: "usage" })).result?.text).toContain("**Usage**");
    clock.advance(30_001);
    expect((await harness.run({ text: "four" })).result?.text).toBe("Echo: Ada: four");
    expect(harness.fake.chatRequests()).toHaveLength(4);
  });
});

describe("answers at once", () => {
  it("refuses a second answer while LIMIT_USER_CONCURRENT are being written, and frees the slot however one ends", async () => {
    harness = await startEngineHarness({ env: { LIMIT_USER_CONCURRENT: "1" } });
    harness.fake.enqueue({ text: "a slow answer that takes a while", chunkSize: 2, chunkDelayMs: 40 });
    const slow = harness.run({ text: "slow", key: { ...TEST_KEY, thread: "T-slow" } });
    await expect.poll(() => harness.fake.chatRequests().length).toBe(1);
    const refused = await harness.run({ text: "meanwhile", key: { ...TEST_KEY, thread: "T-other" } });
    expect(refused.error?.error.userMessage).toBe(
      "Your limit of 1 answer at a time is reached (1 being written); ask again when it is finished.",
    );
    expect((await harness.run({ text: "mine", author: grace })).result?.text).toBe("Echo: Grace: mine");
    expect((await slow).result?.text).toBe("a slow answer that takes a while");

    // A failed answer frees its slot too.
    harness.fake.enqueue({ error: { status: 400, message: "bad request" } });
    expect((await harness.run({ text: "fails" })).error?.error.code).toBe("provider_bad_request");
    expect((await harness.run({ text: "after" })).result?.text).toBe("Echo: Ada: after");
  });
});

describe("refusals in the metrics", () => {
  it("counts a refusal by its limit, beside the error code, in parley_refusals_total", async () => {
    harness = await startEngineHarness({ env: { LIMIT_USER_TURNS_PER_MINUTE: "1" } });
    const { lifecycle, metrics } = harness.parley.operations;
    const turn = {
      key: TEST_KEY,
      author: { id: "U1", displayName: "Ada", isBot: false },
      kind: "ask" as const,
    };
    const shown: string[] = [];
    const surface = {
      maxMessageLength: 2000,
      editIntervalMs: 0,
      post: async (text: string) => {
        shown.push(text);
        return { id: String(shown.length) };
      },
      edit: async () => undefined,
    };
    await lifecycle.run({ ...turn, text: "one" }, ({ events }) => renderReply(events, surface));
    const summary = await lifecycle.run({ ...turn, text: "two" }, ({ events }) =>
      renderReply(events, surface),
    );
    expect(summary).toMatchObject({
      outcome: "error",
      errorCode: "limit_reached",
      refusedBy: "user_turns_per_minute",
    });
    expect(shown.at(-1)).toContain("Your limit of 1 question a minute is reached");
    const exposition = await metrics.registry.metrics();
    expect(exposition).toContain('parley_refusals_total{platform="test",limit="user_turns_per_minute"} 1');
    expect(exposition).toContain('parley_errors_total{platform="test",code="limit_reached"} 1');
  });
});
