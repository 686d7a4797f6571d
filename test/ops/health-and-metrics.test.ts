// GET /healthz and GET /metrics as a load balancer and a scraper see them, on a Redis store the test kills and restarts.
import { afterEach, describe, expect, test } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { type OpsServer, startOpsServer } from "../../src/ops/http.ts";
import { createParley, type Parley } from "../../src/parley.ts";
import { renderReply } from "../../src/render/render-reply.ts";
import { systemClock } from "../../src/render/surface.ts";
import type { Turn } from "../../src/types.ts";
import { createRecordingSurface } from "../core/render/fake-surface.ts";
import { type FakeAimlApi, startFakeAimlApi } from "../support/fake-aimlapi.ts";
import { startTestRedis, type TestRedis } from "../support/redis-server.ts";
import { parseExposition, samplesOf } from "./exposition.ts";
import { recordingLogger } from "./log-lines.ts";

const API_KEY = "test-key-health-0123456789";
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startCore(
  redis: TestRedis,
): Promise<{ parley: Parley; server: OpsServer; provider: FakeAimlApi }> {
  const provider = await startFakeAimlApi();
  cleanups.push(() => provider.close());
  const config = loadConfig({ AIML_API_KEY: API_KEY, AIML_BASE_URL: provider.url, STORE_URL: redis.url });
  const parley = await createParley(config, {
    logger: recordingLogger([API_KEY]).logger,
    maxRetries: 0,
    processMetrics: true,
  });
  cleanups.push(() => parley.close());
  const server = await startOpsServer({ port: 0, host: "127.0.0.1", routes: parley.operations.routes() });
  cleanups.push(() => server.close());
  return { parley, server, provider };
}

async function get(server: OpsServer, path: string): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(`http://127.0.0.1:${server.port}${path}`);
  return {
    status: response.status,
    type: response.headers.get("content-type") ?? "",
    body: await response.text(),
  };
}

async function untilStatus(server: OpsServer, status: number, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await get(server, "/healthz");
    if (answer.status === status) return answer;
    if (Date.now() > deadline) throw new Error(`/healthz stayed ${answer.status}: ${answer.body}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("/healthz", () => {
  test("is 200 with the store named, 503 within the ping bound when Redis dies, 200 again once it is back", async () => {
    const redis = await startTestRedis();
    cleanups.push(() => redis.close());
    const { parley, server } = await startCore(redis);
    const discord = parley.operations.reporter("discord");
    discord.connected(true);

    const healthy = await get(server, "/healthz");
    expect(healthy.status).toBe(200);
    expect(healthy.type).toContain("application/json");
    expect(JSON.parse(healthy.body)).toEqual({
      status: "ok",
      store: { kind: "redis", ok: true },
      adapters: { discord: { connected: true } },
    });

    await redis.kill();
    const startedMs = Date.now();
    const down = await get(server, "/healthz");
    // A dead store answers within the 2 s bound, not after node-redis's own reconnect attempts.
    expect(Date.now() - startedMs).toBeLessThan(3_500);
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body)).toEqual({
      status: "unavailable",
      store: { kind: "redis", ok: false },
      adapters: { discord: { connected: true } },
    });

    await redis.restart();
    const back = await untilStatus(server, 200);
    expect(JSON.parse(back.body)).toMatchObject({ status: "ok", store: { kind: "redis", ok: true } });

    // An adapter that lost its connection makes the process unhealthy too, until it is back.
    discord.connected(false);
    const disconnected = await get(server, "/healthz");
    expect(disconnected.status).toBe(503);
    expect(JSON.parse(disconnected.body).adapters).toEqual({ discord: { connected: false } });
    discord.connected(true);
    expect((await get(server, "/healthz")).status).toBe(200);
    expect(healthy.body + down.body + back.body).not.toContain(API_KEY);
  });
});

describe("/metrics", () => {
  test("is valid Prometheus text: the turn just answered is counted with its labels, histograms have buckets", async () => {
    const redis = await startTestRedis();
    cleanups.push(() => redis.close());
    const { parley, server, provider } = await startCore(redis);
    parley.operations.reporter("slack").rateLimited();
    provider.enqueue({
      text: "Metrics answer.",
      usage: { prompt_tokens: 30, completion_tokens: 4 },
      usdSpent: 0.002,
    });
    const turn: Turn = {
      key: { platform: "slack", workspace: "T1", channel: "C1", thread: "1.1" },
      author: { id: "U1", displayName: "Ada", isBot: false },
      kind: "ask",
      text: "count me",
    };
    const recording = createRecordingSurface({ clock: systemClock, editIntervalMs: 0 });
    const summary = await parley.operations.lifecycle.run(turn, ({ events }) =>
      renderReply(events, recording.surface),
    );
    expect(recording.visibleTexts()).toEqual(["Metrics answer.\n\n*Model: gpt-4.1-mini-2025-04-14*"]);
    const model = summary?.model as string;
    expect(model).toBeTruthy();

    const scraped = await get(server, "/metrics");
    expect(scraped.status).toBe(200);
    expect(scraped.type).toContain("text/plain");
    expect(scraped.body).not.toContain(API_KEY);
    expect(scraped.body).not.toContain(redis.url);
    const exposition = parseExposition(scraped.body);

    for (const family of [
      "parley_turns_total",
      "parley_first_token_seconds",
      "parley_turn_duration_seconds",
      "parley_tokens_total",
      "parley_cost_usd_total",
      "parley_errors_total",
      "parley_replies_in_flight",
      "parley_platform_rate_limited_total",
    ]) {
      expect(exposition.help.get(family), family).toBeTruthy();
    }
    expect(exposition.types.get("parley_turns_total")).toBe("counter");
    expect(exposition.types.get("parley_turn_duration_seconds")).toBe("histogram");
    expect(exposition.types.get("parley_replies_in_flight")).toBe("gauge");
    // Node's own process metrics are collected into parley's registry.
    expect(exposition.types.get("process_cpu_user_seconds_total")).toBe("counter");

    expect(
      samplesOf(exposition, "parley_turns_total", {
        platform: "slack",
        command: "ask",
        model,
        outcome: "done",
      }),
    ).toEqual([
      {
        name: "parley_turns_total",
        labels: { platform: "slack", command: "ask", model, outcome: "done" },
        value: 1,
      },
    ]);
    const buckets = samplesOf(exposition, "parley_turn_duration_seconds_bucket", {
      platform: "slack",
      command: "ask",
    });
    expect(buckets.length).toBeGreaterThan(5);
    expect(buckets.at(-1)).toMatchObject({ labels: { le: "+Inf" }, value: 1 });
    expect(samplesOf(exposition, "parley_turn_duration_seconds_count", { platform: "slack" })[0]?.value).toBe(
      1,
    );
    expect(samplesOf(exposition, "parley_first_token_seconds_bucket", { model, le: "+Inf" })[0]?.value).toBe(
      1,
    );
    expect(samplesOf(exposition, "parley_tokens_total", { model, direction: "in" })[0]?.value).toBe(30);
    expect(samplesOf(exposition, "parley_tokens_total", { model, direction: "out" })[0]?.value).toBe(4);
    expect(samplesOf(exposition, "parley_cost_usd_total", { model })[0]?.value).toBeCloseTo(0.002);
    expect(samplesOf(exposition, "parley_replies_in_flight")[0]?.value).toBe(0);
    expect(samplesOf(exposition, "parley_platform_rate_limited_total", { platform: "slack" })[0]?.value).toBe(
      1,
    );
  });

  test("unknown paths are 404 and other methods 405", async () => {
    const redis = await startTestRedis();
    cleanups.push(() => redis.close());
    const { server } = await startCore(redis);
    expect((await get(server, "/nope")).status).toBe(404);
    const posted = await fetch(`http://127.0.0.1:${server.port}/metrics`, { method: "POST" });
    expect(posted.status).toBe(405);
  });
});
