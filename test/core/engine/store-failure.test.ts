// Store failures against a real redis-server the test kills: reads fail fast and loudly, writes fail without
// losing the answer, and the store comes back by itself.
import { createClient } from "@keyv/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStores, type Stores } from "../../../src/store/open-stores.ts";
import { ANSWER_NOT_SAVED_NOTE } from "../../../src/store/store-errors.ts";
import { conversationId } from "../../../src/types.ts";
import { collect } from "../../support/engine-harness.ts";
import { type FakeAimlApi, startFakeAimlApi } from "../../support/fake-aimlapi.ts";
import { startTestRedis, type TestRedis } from "../../support/redis-server.ts";
import { ask, engineOn, freshKey, recordLogs } from "../store/engine-on-store.ts";

let redis: TestRedis;
let fake: FakeAimlApi;
let stores: Stores;
const logs = recordLogs();

beforeAll(async () => {
  [redis, fake] = await Promise.all([startTestRedis(), startFakeAimlApi()]);
  stores = await openStores(redis.url, { logger: logs.logger });
});
afterAll(async () => {
  await stores.close();
  await Promise.all([redis.close(), fake.close()]);
});

/** Resolves once the store answers again, polling as a health check would. */
async function untilStoreAnswers(timeoutMs: number): Promise<number> {
  const startedAtMs = Date.now();
  for (;;) {
    try {
      await stores.ping();
      return Date.now() - startedAtMs;
    } catch (error) {
      if (Date.now() - startedAtMs > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe("a Redis store that dies and comes back", () => {
  it("answers with the store sentence, fast and without asking the provider, when history cannot be read", async () => {
    const engine = engineOn(stores, fake, { logger: logs.logger });
    const key = freshKey("read-fails");
    expect((await ask(engine, "remember lilac", key)).result?.text).toBe("Echo: Ada: remember lilac");
    fake.reset();

    await redis.kill();
    const startedAtMs = Date.now();
    const outcome = await ask(engine, "what did I ask you to remember?", key);
    const elapsedMs = Date.now() - startedAtMs;

    expect(outcome.error?.error.code).toBe("store_unavailable");
    expect(outcome.error?.error.userMessage).toBe(
      "parley could not read this conversation's memory, so it did not answer — try again shortly.",
    );
    expect(outcome.result).toBeUndefined();
    expect(elapsedMs).toBeLessThan(5_000);
    expect(fake.chatRequests()).toHaveLength(0);
    // /model reads the settings namespace (a keyv): it fails loudly too instead of showing the default model.
    const model = await collect(
      engine.reply({
        key,
        author: { id: "U1", displayName: "Ada", isBot: false },
        kind: "model",
        text: "",
      }),
    );
    expect(model.error?.error.code).toBe("store_unavailable");
    expect(logs.withMessage("store connection lost; reconnecting")).toHaveLength(1);
    expect(JSON.stringify(logs.lines())).not.toContain("could not save");

    await redis.restart();
    await untilStoreAnswers(5_000);
    expect(logs.withMessage("store connection recovered")).toHaveLength(1);
  });

  it("delivers an answer whose save fails with a notice, logs it, and saves again once Redis is back", async () => {
    const engine = engineOn(stores, fake, { logger: logs.logger });
    const key = freshKey("write-fails");
    fake.enqueue({ text: "a slowly streamed answer", chunkSize: 4, chunkDelayMs: 100 });
    const turn = ask(engine, "stream slowly", key);
    // The first chunks are on their way once the provider got the request.
    while (fake.chatRequests().length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await redis.kill();
    const outcome = await turn;

    expect(outcome.error).toBeUndefined();
    expect(outcome.result?.text).toBe("a slowly streamed answer");
    expect(outcome.result?.notes).toContain(ANSWER_NOT_SAVED_NOTE);
    const failures = logs.withMessage("could not save the exchange");
    expect(failures.at(-1)?.conversation).toBe(conversationId(key));

    // No re-open: the same Stores reconnect by themselves.
    await redis.restart();
    await untilStoreAnswers(5_000);
    const next = await ask(engine, "are you back?", key);
    expect(next.result?.text).toBe("Echo: Ada: are you back?");
    expect(next.result?.notes).not.toContain(ANSWER_NOT_SAVED_NOTE);
    const stored = await stores.history.read(conversationId(key), 10);
    expect(stored?.messages.map((message) => message.content)).toEqual([
      "Ada: are you back?",
      "Echo: Ada: are you back?",
    ]);
  });

  it("never writes after a read that failed: a conversation Redis cannot read is left as it is", async () => {
    const engine = engineOn(stores, fake, { logger: logs.logger });
    const key = freshKey("unreadable");
    const id = conversationId(key);
    expect((await ask(engine, "first", key)).result).toBeDefined();
    // Something else wrote a value of the wrong type where the messages live: LRANGE fails with WRONGTYPE.
    const other = await createClient({ url: redis.url }).connect();
    await other.set(`parley:messages:{${id}}`, "not a list");
    const metaBefore = await other.hGetAll(`parley:conversation:{${id}}`);
    fake.reset();

    const outcome = await ask(engine, "second", key);

    expect(outcome.error?.error.code).toBe("store_unavailable");
    expect(fake.chatRequests()).toHaveLength(0);
    expect(await other.get(`parley:messages:{${id}}`)).toBe("not a list");
    expect(await other.hGetAll(`parley:conversation:{${id}}`)).toEqual(metaBefore);
    await other.close();
  });
});
