// A turn's signal stops its answer: the provider request is aborted, the text so far stays, the next turn sees it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { STOPPED_NOTE } from "../../../src/engine/answer.ts";
import type { ReplyEvent, ReplyResult } from "../../../src/types.ts";
import { type EngineHarness, startEngineHarness, TEST_KEY } from "../../support/engine-harness.ts";

let harness: EngineHarness;
beforeEach(async () => {
  harness = await startEngineHarness();
});
afterEach(async () => {
  await harness.close();
});

/** Starts a turn with a Stop control; `onEvent` sees each event as it arrives. */
function startTurn(text: string, onEvent: (event: ReplyEvent, stop: () => void) => void = () => undefined) {
  const control = new AbortController();
  const stop = () => control.abort();
  const finished = (async () => {
    const events: ReplyEvent[] = [];
    for await (const event of harness.parley.engine.reply({
      key: TEST_KEY,
      author: { id: "U1", displayName: "Ada", isBot: false },
      kind: "ask",
      text,
      signal: control.signal,
    })) {
      events.push(event);
      onEvent(event, stop);
    }
    return events;
  })();
  return { stop, finished };
}

/** The result of the `done` event that ends `events`; fails the test when they end otherwise. */
function doneResult(events: ReplyEvent[]): ReplyResult {
  const last = events.at(-1);
  if (last?.type !== "done") throw new Error(`expected a done event, got ${JSON.stringify(last)}`);
  return last.result;
}

const historySent = (index: number) =>
  harness.fake.chatRequests()[index]?.messages.map((message) => message.content) ?? [];

describe("stopping an answer", () => {
  it("aborts the provider request, keeps the text so far in the reply and in the conversation", async () => {
    harness.fake.enqueue({
      text: "One. Two. Three. Four. Five. Six. Seven. Eight.",
      chunkSize: 5,
      chunkDelayMs: 200,
    });
    let texts = 0;
    const turn = startTurn("count slowly", (event, stop) => {
      if (event.type === "text" && ++texts === 2) stop();
    });
    const result = doneResult(await turn.finished);
    expect(result).toMatchObject({
      stopped: true,
      text: "One. Two. ",
      model: "openai/gpt-4.1-mini-2025-04-14",
    });
    expect(result.notes).toEqual([STOPPED_NOTE]);
    await expect.poll(() => harness.fake.requests.at(-1)?.closedByClient).toBe(true);

    // The next turn carries the stopped exchange, marked where it ended.
    await harness.run({ kind: "ask", text: "go on" });
    expect(historySent(1)).toContain("Ada: count slowly");
    expect(historySent(1)).toContain("One. Two.\n\n[Stopped here before it was finished.]");
  });

  it("stopped before any text: says so at once and remembers nothing of the question", async () => {
    harness.fake.enqueue({ text: "too late", firstChunkDelayMs: 10_000 });
    const turn = startTurn("never mind");
    await expect.poll(() => harness.fake.chatRequests().length).toBe(1);
    const stoppedAt = Date.now();
    turn.stop();
    const result = doneResult(await turn.finished);
    expect(Date.now() - stoppedAt).toBeLessThan(2_000);
    expect(result).toMatchObject({ stopped: true, text: "", notes: [STOPPED_NOTE] });
    expect(result.model).toBeUndefined();
    await harness.run({ kind: "ask", text: "fresh question" });
    expect(JSON.stringify(historySent(1))).not.toContain("never mind");
  });

  it("stopped while waiting for its conversation: gives up its place, the provider never hears of it", async () => {
    harness.fake.enqueue({ text: "a slow first answer", chunkSize: 4, chunkDelayMs: 100 });
    const first = harness.run({ kind: "ask", text: "first" });
    await expect.poll(() => harness.fake.chatRequests().length).toBe(1);
    const second = startTurn("second");
    second.stop();
    const result = doneResult(await second.finished);
    expect(result).toMatchObject({ stopped: true, text: "" });
    expect((await first).result?.text).toBe("a slow first answer");
    expect(harness.fake.chatRequests()).toHaveLength(1);
  });

  it("a stopped answer counts against the daily limit: stopping is no way around it", async () => {
    await harness.close();
    harness = await startEngineHarness({ env: { LIMIT_USER_DAILY_TOKENS: "20" } });
    harness.fake.enqueue({
      text: "One. Two. Three. Four. Five. Six. Seven. Eight.",
      chunkSize: 5,
      chunkDelayMs: 200,
    });
    let texts = 0;
    const turn = startTurn("count slowly", (event, stop) => {
      if (event.type === "text" && ++texts === 2) stop();
    });
    expect(doneResult(await turn.finished).stopped).toBe(true);
    const next = await harness.run({ kind: "ask", text: "and again" });
    expect(next.error?.error.code).toBe("limit_reached");
    expect(next.error?.error.userMessage).toMatch(
      /^Your daily limit of 20 tokens is used up \(\d+ used today\)/,
    );
    expect(harness.fake.chatRequests()).toHaveLength(1);
  });

  it("an answer cut off by a broken stream counts against the daily limit too", async () => {
    await harness.close();
    harness = await startEngineHarness({ env: { LIMIT_USER_DAILY_TOKENS: "20" } });
    harness.fake.enqueue({
      text: "One. Two. Three. Four. Five. Six. Seven. Eight.",
      chunkSize: 5,
      cutAfterChars: 20,
    });
    const cut = await harness.run({ kind: "ask", text: "count slowly" });
    expect(cut.error?.partialText).toBe("One. Two. Three. Fou");
    const next = await harness.run({ kind: "ask", text: "and again" });
    expect(next.error?.error.userMessage).toMatch(
      /^Your daily limit of 20 tokens is used up \(\d+ used today\)/,
    );
    expect(harness.fake.chatRequests()).toHaveLength(1);
  });

  it("a signal that never aborts changes nothing", async () => {
    const turn = startTurn("hello");
    const result = doneResult(await turn.finished);
    expect(result.stopped).toBeUndefined();
    expect(result.text).toBe("Echo: Ada: hello");
  });
});
