// Quotas on both backends, through two connections as two replicas would hold: caps, a sliding window, slots.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStores, type Stores } from "../../../src/store/open-stores.ts";
import type { QuotaRequest } from "../../../src/store/quotas.ts";
import { startTestRedis, type TestRedis } from "../../support/redis-server.ts";

let redis: TestRedis;
const directory = mkdtempSync(join(tmpdir(), "parley-quotas-"));
const opened: Stores[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await Promise.all(opened.map((stores) => stores.close()));
  await redis.close();
  rmSync(directory, { recursive: true, force: true });
});

/** Two connections to one store, as two replicas hold. */
async function twoReplicas(backend: "SQLite" | "Redis"): Promise<[Stores, Stores]> {
  const url = backend === "Redis" ? redis.url : `sqlite://${join(directory, `${Math.random()}.sqlite`)}`;
  const pair: [Stores, Stores] = [await openStores(url), await openStores(url)];
  opened.push(...pair);
  return pair;
}

let unique = 0;
/** A key no other test uses (the Redis server is shared by the whole file). */
const fresh = (label: string) => `${label}-${++unique}-${Math.random().toString(36).slice(2)}`;

const request = (overrides: Partial<QuotaRequest>): QuotaRequest => ({
  nowMs: 1_000_000,
  id: fresh("admission"),
  caps: [],
  ...overrides,
});

describe.each(["SQLite", "Redis"] as const)("%s quotas", (backend) => {
  it("admits under a cap and refuses once the counted fields reach it, naming the cap and the use", async () => {
    const [a, b] = await twoReplicas(backend);
    const counterKey = fresh("usage:user:test:W:U1:2030-01-01");
    const cap = {
      name: "user_daily_tokens",
      counterKey,
      fields: ["promptTokens", "completionTokens"],
      limit: 100,
    };
    await a.counters.add(counterKey, { promptTokens: 60, completionTokens: 30, costUsd: 5 }, 60_000);
    expect(await b.quotas.admit(request({ caps: [cap] }))).toEqual({ admitted: true });
    await b.counters.add(counterKey, { promptTokens: 10, completionTokens: 0 }, 60_000);
    expect(await a.quotas.admit(request({ caps: [cap] }))).toEqual({
      admitted: false,
      refusedBy: "cap",
      cap: "user_daily_tokens",
      used: 100,
    });
    const dollars = { name: "workspace_monthly_usd", counterKey, fields: ["costUsd"], limit: 5.5 };
    expect(await a.quotas.admit(request({ caps: [dollars] }))).toEqual({ admitted: true });
    await a.counters.add(counterKey, { costUsd: 0.75 }, 60_000);
    expect(await b.quotas.admit(request({ caps: [dollars] }))).toMatchObject({
      refusedBy: "cap",
      used: 5.75,
    });
  });

  it("slides its window: the fourth turn within a minute waits for the first to leave it", async () => {
    const [a, b] = await twoReplicas(backend);
    const window = { key: fresh("rate"), limit: 3, windowMs: 60_000 };
    for (const [index, stores] of [a, b, a].entries())
      expect(await stores.quotas.admit(request({ window, nowMs: 1_000 + index * 10_000 }))).toEqual({
        admitted: true,
      });
    expect(await b.quotas.admit(request({ window, nowMs: 59_000 }))).toEqual({
      admitted: false,
      refusedBy: "window",
      used: 3,
      oldestAtMs: 1_000,
    });
    // The first entry leaves the window at 61 s; the refused attempt was not recorded.
    expect(await a.quotas.admit(request({ window, nowMs: 61_001 }))).toEqual({ admitted: true });
    expect(await a.quotas.admit(request({ window, nowMs: 61_002 }))).toMatchObject({
      refusedBy: "window",
      oldestAtMs: 11_000,
    });
  });

  it("holds slots until released or until their lease runs out", async () => {
    const [a, b] = await twoReplicas(backend);
    const slots = { key: fresh("in-flight"), limit: 2, leaseMs: 600_000 };
    const first = request({ slots });
    expect(await a.quotas.admit(first)).toEqual({ admitted: true });
    expect(await b.quotas.admit(request({ slots }))).toEqual({ admitted: true });
    expect(await a.quotas.admit(request({ slots }))).toEqual({
      admitted: false,
      refusedBy: "slots",
      used: 2,
    });
    await b.quotas.release(slots.key, first.id);
    await b.quotas.release(slots.key, first.id);
    expect(await a.quotas.admit(request({ slots }))).toEqual({ admitted: true });
    // A replica that died mid-answer never releases: its slot frees itself when the lease ends.
    expect(await a.quotas.admit(request({ slots, nowMs: 1_000_000 + 600_001 }))).toEqual({ admitted: true });
  });

  it("records nothing for a refused admission", async () => {
    const [a] = await twoReplicas(backend);
    const window = { key: fresh("rate"), limit: 1, windowMs: 60_000 };
    const slots = { key: fresh("in-flight"), limit: 1, leaseMs: 60_000 };
    const cap = {
      name: "channel_daily_tokens",
      counterKey: fresh("usage"),
      fields: ["promptTokens"],
      limit: 1,
    };
    await a.counters.add(cap.counterKey, { promptTokens: 1 }, 60_000);
    expect(await a.quotas.admit(request({ caps: [cap], window, slots }))).toMatchObject({ refusedBy: "cap" });
    // Neither the window entry nor the slot was taken by the refusal.
    expect(await a.quotas.admit(request({ window, slots }))).toEqual({ admitted: true });
  });

  it("lets exactly the limit through when two replicas admit 40 turns at once", async () => {
    const [a, b] = await twoReplicas(backend);
    const window = { key: fresh("rate"), limit: 5, windowMs: 60_000 };
    const slots = { key: fresh("in-flight"), limit: 3, leaseMs: 60_000 };
    const windowVerdicts = await Promise.all(
      Array.from({ length: 40 }, (_, index) => (index % 2 ? a : b).quotas.admit(request({ window }))),
    );
    expect(windowVerdicts.filter((verdict) => verdict.admitted)).toHaveLength(5);
    const slotVerdicts = await Promise.all(
      Array.from({ length: 40 }, (_, index) => (index % 2 ? a : b).quotas.admit(request({ slots }))),
    );
    expect(slotVerdicts.filter((verdict) => verdict.admitted)).toHaveLength(3);
  });

  it("removes counters and says how many existed", async () => {
    const [a, b] = await twoReplicas(backend);
    const [first, second] = [fresh("usage"), fresh("usage")];
    await a.counters.add(first, { requests: 1 }, 60_000);
    await a.counters.add(second, { requests: 2 }, 60_000);
    expect(await b.counters.remove([first, second, fresh("never-written")])).toBe(2);
    expect(await a.counters.read(first)).toEqual({});
    expect(await b.counters.remove([])).toBe(0);
  });
});
