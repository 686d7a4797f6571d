// A Redis that is down or frozen makes every store call fail within seconds, never hang; logs name it once,
// without its password, and the same connection works again when Redis does.
import { createClient } from "@keyv/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ParleyError } from "../../../src/errors.ts";
import { openStores, type Stores } from "../../../src/store/open-stores.ts";
import { freePort, startTestRedis, type TestRedis } from "../../support/redis-server.ts";
import { recordLogs } from "./engine-on-store.ts";

const PASSWORD = "secret-store-password";
let redis: TestRedis;
let stores: Stores;
const logs = recordLogs();
const withPassword = () => redis.url.replace("redis://", `redis://default:${PASSWORD}@`);

beforeAll(async () => {
  redis = await startTestRedis();
  // The server has no password: its default user accepts any, so the URL can carry one to check redaction.
  stores = await openStores(withPassword(), { logger: logs.logger, redisCommandTimeoutMs: 1_000 });
});
afterAll(async () => {
  await stores.close();
  await redis.close();
});

/** Every kind of store call a turn makes, each settled; resolves with how long the slowest took. */
async function everyCall(): Promise<{ failures: number; slowestMs: number }> {
  const id = `fail-fast-${Math.random()}`;
  const calls: (() => Promise<unknown>)[] = [
    () => stores.history.read(id, 10),
    () =>
      stores.history.append(id, [{ role: "user", content: "x", tokens: 1 }], {
        model: "m",
        maxMessages: 10,
        ttlMs: 60_000,
      }),
    () => stores.settings.get("model:x"),
    () => stores.settings.set("model:x", "m"),
    () => stores.counters.add(id, { requests: 1 }, 60_000),
    () => stores.counters.read(id),
    () => stores.claimOnce(id, 60_000),
    () => stores.locks.acquire(id, { leaseMs: 1_000 }).then((lease) => lease.release()),
    () => stores.ping(),
    // The policy check before every model turn: a limit, a rate window and a slot, decided in one script.
    () =>
      stores.quotas.admit({
        nowMs: Date.now(),
        id,
        caps: [{ name: "user_daily_tokens", counterKey: id, fields: ["promptTokens"], limit: 10 }],
        window: { key: `${id}:rate`, limit: 3, windowMs: 60_000 },
      }),
  ];
  const timings = await Promise.all(
    calls.map(async (call) => {
      const startedAtMs = Date.now();
      const failed = await call().then(
        () => false,
        () => true,
      );
      return { failed, ms: Date.now() - startedAtMs };
    }),
  );
  return {
    failures: timings.filter((timing) => timing.failed).length,
    slowestMs: Math.max(...timings.map((timing) => timing.ms)),
  };
}

describe("a Redis store that is unreachable", () => {
  it("fails every call at once while Redis is down, and works again on the same connection", async () => {
    expect((await everyCall()).failures).toBe(0);
    await redis.kill();
    const down = await everyCall();
    expect(down.failures).toBe(10);
    expect(down.slowestMs).toBeLessThan(2_000);

    await redis.restart();
    const deadline = Date.now() + 5_000;
    while (
      !(await stores.ping().then(
        () => true,
        () => false,
      )) &&
      Date.now() < deadline
    )
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await everyCall()).failures).toBe(0);

    expect(logs.withMessage("store connection lost; reconnecting")).toHaveLength(1);
    expect(logs.withMessage("store connection recovered")).toHaveLength(1);
    expect(logs.withMessage("store connection lost; reconnecting")[0]?.url).toBe(
      `redis://***@127.0.0.1:${redis.port}`,
    );
    expect(JSON.stringify(logs.lines())).not.toContain(PASSWORD);
  });

  it("fails every call within its command timeout while Redis is frozen", async () => {
    const probe = await createClient({ url: redis.url }).connect();
    const info = await probe.info("server");
    await probe.close();
    const pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, "SIGSTOP");
    try {
      const frozen = await everyCall();
      expect(frozen.failures).toBe(10);
      expect(frozen.slowestMs).toBeLessThan(3_000);
    } finally {
      process.kill(pid, "SIGCONT");
    }
    expect(await stores.ping().then(() => "answers")).toBe("answers");
  });

  it("gives up opening a Redis that never answers, naming it without its password", async () => {
    const port = await freePort();
    const startedAtMs = Date.now();
    const opening = openStores(`redis://default:${PASSWORD}@127.0.0.1:${port}`, {
      redisStartupTimeoutMs: 500,
    });
    const error = await opening.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ParleyError);
    expect((error as ParleyError).code).toBe("config");
    expect((error as ParleyError).message).toContain(`redis://***@127.0.0.1:${port}`);
    expect((error as ParleyError).message).not.toContain(PASSWORD);
    expect(Date.now() - startedAtMs).toBeLessThan(2_000);
  });
});
