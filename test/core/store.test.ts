// The store seam on both backends: history survives a restart and is appended atomically, event ids are claimed once.
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { silentLogger } from "../../src/logger.ts";
import { createParley } from "../../src/parley.ts";
import { openStores } from "../../src/store/open-stores.ts";
import { collect, TEST_KEY } from "../support/engine-harness.ts";
import { startFakeAimlApi } from "../support/fake-aimlapi.ts";

const REDIS_URL = "redis://127.0.0.1:6379";

/** True when something answers PING on the local Redis port. */
async function redisAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port: 6379 });
    socket.setTimeout(1_000);
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (data) => {
      resolve(data.toString().startsWith("+PONG"));
      socket.destroy();
    });
    socket.on("error", () => resolve(false));
    socket.on("timeout", () => {
      resolve(false);
      socket.destroy();
    });
  });
}

const hasRedis = await redisAnswers();
if (!hasRedis && process.env.CI) throw new Error("CI must provide Redis on 127.0.0.1:6379 (see .ci/run)");
if (!hasRedis) console.warn("SKIPPING the Redis store tests: nothing answers on 127.0.0.1:6379");

const directory = mkdtempSync(join(tmpdir(), "parley-store-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const backends = [
  {
    name: "SQLite",
    url: () => `sqlite://${join(directory, `store-${Math.random()}.sqlite`)}`,
    enabled: true,
  },
  { name: "Redis", url: () => REDIS_URL, enabled: hasRedis },
];

describe.each(backends)("$name store", ({ url, enabled }) => {
  it.skipIf(!enabled)("keeps a conversation across engine instances", async () => {
    const fake = await startFakeAimlApi();
    const storeUrl = url();
    const key = { ...TEST_KEY, thread: `restart-${Date.now()}-${Math.random()}` };
    const config = loadConfig({
      AIML_API_KEY: "k",
      AIML_BASE_URL: fake.url,
      STORE_URL: storeUrl,
      LOG_LEVEL: "silent",
    });
    const author = { id: "U1", displayName: "Ada", isBot: false };
    const first = await createParley(config, { logger: silentLogger() });
    await collect(first.engine.reply({ key, author, kind: "ask", text: "the code word is lilac" }));
    await first.close();

    const second = await createParley(config, { logger: silentLogger() });
    expect(await second.engine.hasConversation(key)).toBe(true);
    await collect(second.engine.reply({ key, author, kind: "follow-up", text: "what was the code word?" }));
    await second.close();
    await fake.close();
    const contents = fake.chatRequests()[1]?.messages.map((message) => message.content);
    expect(contents?.slice(1)).toEqual([
      "Ada: the code word is lilac",
      "Echo: Ada: the code word is lilac",
      "Ada: what was the code word?",
    ]);
  });

  it.skipIf(!enabled)("claims an event id once, even from two connections", async () => {
    const storeUrl = url();
    const [one, two] = await Promise.all([openStores(storeUrl), openStores(storeUrl)]);
    const id = `event-${Date.now()}-${Math.random()}`;
    const claims = await Promise.all([
      one.claimOnce(id, 60_000),
      two.claimOnce(id, 60_000),
      one.claimOnce(id, 60_000),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await two.claimOnce(`${id}-other`, 60_000)).toBe(true);
    await Promise.all([one.close(), two.close()]);
  });

  it.skipIf(!enabled)("adds usage counters from two connections at once without losing one", async () => {
    const storeUrl = url();
    const [one, two] = await Promise.all([openStores(storeUrl), openStores(storeUrl)]);
    const key = `counter-${Date.now()}-${Math.random()}`;
    await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        (index % 2 === 0 ? one : two).counters.add(key, { requests: 1, costUsd: 0.25 }, 60_000),
      ),
    );
    expect(await one.counters.read(key)).toEqual({ requests: 100, costUsd: 25 });
    expect(await two.counters.read("never-written")).toEqual({});
    await Promise.all([one.close(), two.close()]);
  });

  it.skipIf(!enabled)(
    "appends exchanges from two connections at once, each whole and none lost",
    async () => {
      const storeUrl = url();
      const [one, two] = await Promise.all([openStores(storeUrl), openStores(storeUrl)]);
      const id = `appends-${Date.now()}-${Math.random()}`;
      const options = { model: "m", maxMessages: 200, ttlMs: 60_000 };
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, index) =>
          (index % 2 === 0 ? one : two).history.append(
            id,
            [
              { role: "user", content: `question ${index}`, tokens: 2 },
              { role: "assistant", content: `answer ${index}`, tokens: 2 },
            ],
            options,
          ),
        ),
      );
      expect(results.every(Boolean)).toBe(true);
      const messages = (await one.history.read(id, 200))?.messages ?? [];
      expect(messages).toHaveLength(120);
      for (let index = 0; index < messages.length; index += 2)
        expect(messages[index + 1]?.content).toBe(messages[index]?.content.replace("question", "answer"));
      // Reads return only the tail asked for; appends beyond the bound drop the oldest messages.
      expect((await two.history.read(id, 4))?.messages).toEqual(messages.slice(-4));
      await one.history.append(id, [{ role: "user", content: "newest", tokens: 1 }], {
        ...options,
        maxMessages: 3,
      });
      expect((await two.history.read(id, 200))?.messages.map((message) => message.content)).toEqual([
        messages.at(-2)?.content,
        messages.at(-1)?.content,
        "newest",
      ]);
      await Promise.all([one.close(), two.close()]);
    },
  );
});
