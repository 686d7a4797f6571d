// The turn lifecycle on the real core and renderer: request ids, one "turn finished" line, metrics, drain.
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createMetrics } from "../../src/ops/metrics.ts";
import { INTERRUPTED_MESSAGE } from "../../src/ops/observed-stream.ts";
import {
  createTurnLifecycle,
  SHUTTING_DOWN_MESSAGE,
  type TurnLifecycle,
} from "../../src/ops/turn-lifecycle.ts";
import { renderReply } from "../../src/render/render-reply.ts";
import { systemClock } from "../../src/render/surface.ts";
import type { Engine, Turn } from "../../src/types.ts";
import { createRecordingSurface } from "../core/render/fake-surface.ts";
import { type EngineHarness, startEngineHarness, TEST_KEY } from "../support/engine-harness.ts";
import { recordingLogger } from "./log-lines.ts";

let harness: EngineHarness;
beforeEach(async () => {
  harness = await startEngineHarness();
});
afterEach(async () => {
  await harness.close();
});

const turn = (text: string): Turn => ({
  key: TEST_KEY,
  author: { id: "U1", displayName: "Ada", isBot: false },
  kind: "ask",
  text,
});

/** A lifecycle on the harness's engine that records the turns the engine received. */
function lifecycleOnHarness(): {
  lifecycle: TurnLifecycle;
  received: Turn[];
  log: ReturnType<typeof recordingLogger>;
  metrics: ReturnType<typeof createMetrics>;
} {
  const received: Turn[] = [];
  const engine = harness.parley.engine;
  const spied: Engine = {
    ...engine,
    reply: (sent) => {
      received.push(sent);
      return engine.reply(sent);
    },
  };
  const log = recordingLogger();
  const metrics = createMetrics();
  return {
    lifecycle: createTurnLifecycle({ engine: spied, logger: log.logger, metrics }),
    received,
    log,
    metrics,
  };
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const finishedLines = (log: ReturnType<typeof recordingLogger>) =>
  log.records().filter((record) => record.msg === "turn finished");

describe("a turn", () => {
  test("gets a request id the engine and the adapter's logs see, and one 'turn finished' line with every field", async () => {
    const { lifecycle, received, log, metrics } = lifecycleOnHarness();
    harness.fake.enqueue({
      text: "Hello there, Ada.",
      usage: { prompt_tokens: 21, completion_tokens: 5 },
      usdSpent: 0.0025,
      firstChunkDelayMs: 60,
    });
    const recording = createRecordingSurface({ clock: systemClock, editIntervalMs: 0 });
    let seenRequestId: string | undefined;
    const summary = await lifecycle.run(turn("hi"), async ({ events, requestId, logger }) => {
      seenRequestId = requestId;
      logger.info("adapter line");
      return renderReply(events, recording.surface);
    });

    expect(recording.visibleTexts()).toEqual(["Hello there, Ada.\n\n*Model: gpt-4.1-mini-2025-04-14*"]);
    expect(seenRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(received.map((sent) => sent.requestId)).toEqual([seenRequestId]);
    const adapterLine = log.records().find((record) => record.msg === "adapter line");
    expect(adapterLine).toMatchObject({ requestId: seenRequestId, conversation: "test:W1:C1:T1" });

    const [finished, ...others] = finishedLines(log);
    expect(others).toEqual([]);
    expect(finished).toMatchObject({
      requestId: seenRequestId,
      platform: "test",
      conversation: "test:W1:C1:T1",
      command: "ask",
      outcome: "done",
      messages: 1,
      promptTokens: 21,
      completionTokens: 5,
      costUsd: 0.0025,
    });
    expect(String(finished?.model)).toContain("gpt-4.1-mini");
    expect(finished?.firstTokenMs).toBeGreaterThanOrEqual(50);
    // The provider's own share: from its request to its first text (the fake waits 60 ms), within the turn's.
    expect(finished?.providerFirstTokenMs).toBeGreaterThanOrEqual(50);
    expect(finished?.providerFirstTokenMs).toBeLessThanOrEqual(finished?.firstTokenMs as number);
    expect(finished?.ms).toBeGreaterThanOrEqual(finished?.firstTokenMs as number);
    const firstToken =
      (await metrics.registry.getSingleMetric("parley_first_token_seconds")?.get())?.values ?? [];
    const observed = firstToken.find(
      (sample) => (sample as { metricName?: string }).metricName === "parley_first_token_seconds_sum",
    );
    expect(observed?.value).toBeCloseTo((finished?.providerFirstTokenMs as number) / 1000, 3);
    expect(finished).not.toHaveProperty("errorCode");
    expect(summary).toMatchObject({ requestId: seenRequestId, outcome: "done" });

    const turns = (await metrics.registry.getSingleMetric("parley_turns_total")?.get())?.values ?? [];
    expect(turns).toEqual([
      {
        labels: { platform: "test", command: "ask", model: finished?.model, outcome: "done" },
        value: 1,
      },
    ]);
    expect(
      (await metrics.registry.getSingleMetric("parley_replies_in_flight")?.get())?.values[0]?.value,
    ).toBe(0);
  });

  test("a failed answer is logged with its error code and counted by code", async () => {
    const { lifecycle, log, metrics } = lifecycleOnHarness();
    harness.fake.enqueue({ error: { status: 401, message: "Invalid API key" } });
    const recording = createRecordingSurface({ clock: systemClock, editIntervalMs: 0 });
    await lifecycle.run(turn("hi"), ({ events }) => renderReply(events, recording.surface));
    expect(finishedLines(log)[0]).toMatchObject({
      outcome: "error",
      errorCode: "provider_auth",
      messages: 1,
    });
    const errors = (await metrics.registry.getSingleMetric("parley_errors_total")?.get())?.values ?? [];
    expect(errors).toEqual([{ labels: { platform: "test", code: "provider_auth" }, value: 1 }]);
  });
});

describe("drain", () => {
  test("lets a reply that ends within the grace time finish, then answers late turns with one sentence", async () => {
    const { lifecycle } = lifecycleOnHarness();
    harness.fake.enqueue({ text: "one two three four five six seven", chunkSize: 4, chunkDelayMs: 60 });
    const recording = createRecordingSurface({ clock: systemClock, editIntervalMs: 0 });
    const running = lifecycle.run(turn("count"), ({ events }) => renderReply(events, recording.surface));
    await until("the first text", () => recording.visibleTexts().length > 0);
    expect(lifecycle.inFlight()).toBe(1);

    const report = await lifecycle.drain(5_000);
    expect(report).toEqual({ finished: 1, interrupted: 0, abandoned: 0 });
    expect(recording.visibleTexts()).toEqual([
      "one two three four five six seven\n\n*Model: gpt-4.1-mini-2025-04-14*",
    ]);
    expect((await running)?.outcome).toBe("done");

    // A turn claimed just before the drain began still gets an answer: the sentence, without the provider.
    const requestsBefore = harness.fake.chatRequests().length;
    const late = createRecordingSurface({ clock: systemClock, editIntervalMs: 0 });
    const refused = await lifecycle.run(turn("too late"), ({ events }) => renderReply(events, late.surface));
    expect(refused).toMatchObject({ outcome: "error", errorCode: "interrupted" });
    expect(late.visibleTexts().join("\n")).toContain(SHUTTING_DOWN_MESSAGE);
    expect(lifecycle.accepting()).toBe(false);
    expect(harness.fake.chatRequests().length).toBe(requestsBefore);
  });

  test("interrupts a reply still streaming after the grace time: text so far, a cut-off note, the provider call and the conversation released", async () => {
    const { lifecycle, log, metrics } = lifecycleOnHarness();
    const longAnswer = Array.from({ length: 60 }, (_, index) => `word${index}`).join(" ");
    harness.fake.enqueue({ text: longAnswer, chunkSize: 6, chunkDelayMs: 150 });
    const recording = createRecordingSurface({ clock: systemClock, editIntervalMs: 0 });
    const running = lifecycle.run(turn("talk long"), ({ events }) => renderReply(events, recording.surface));
    await until("some text", () => (recording.visibleTexts()[0]?.length ?? 0) > 10);

    const report = await lifecycle.drain(200, 5_000);
    expect(report).toEqual({ finished: 0, interrupted: 1, abandoned: 0 });
    const shown = recording.visibleTexts().join("\n");
    expect(shown.startsWith("word0 word1")).toBe(true);
    // The model that was answering is named under the cut-off notice, as under a finished answer.
    expect(
      shown.endsWith(
        `\n\n⚠️ *The answer was cut off: ${INTERRUPTED_MESSAGE}*\n*Model: gpt-4.1-mini-2025-04-14*`,
      ),
    ).toBe(true);
    expect(shown).not.toContain("word59");
    expect(await running).toMatchObject({ outcome: "error", errorCode: "interrupted" });
    expect(finishedLines(log)[0]).toMatchObject({ outcome: "error", errorCode: "interrupted" });

    // The engine's generator was returned: the provider's stream is closed and the conversation is free again.
    await until("the provider request closed", () => harness.fake.requests.at(-1)?.closedByClient);
    harness.fake.enqueue({ text: "Next answer." });
    const next = await harness.run({ text: "next" });
    expect(next.text).toBe("Next answer.");

    const errors = (await metrics.registry.getSingleMetric("parley_errors_total")?.get())?.values ?? [];
    expect(errors).toEqual([{ labels: { platform: "test", code: "interrupted" }, value: 1 }]);
  });
});
