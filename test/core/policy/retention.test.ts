// Retention: a conversation expires RETENTION_DAYS after its last turn, /reset forgets at once, and a person's
// conversations can be forgotten by who started them, on both backends.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@keyv/redis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ConversationStore } from "../../../src/context/conversation-store.ts";
import { openStores, type Stores } from "../../../src/store/open-stores.ts";
import { metaKey } from "../../../src/store/redis-keys.ts";
import { conversationId } from "../../../src/types.ts";
import { type EngineHarness, startEngineHarness, TEST_KEY } from "../../support/engine-harness.ts";
import { startTestRedis, type TestRedis } from "../../support/redis-server.ts";

const DAY_MS = 86_400_000;

/** The history the provider saw before the current message, as texts. */
const historySent = (harness: EngineHarness) =>
  (harness.fake.chatRequests().at(-1)?.messages ?? []).slice(1, -1).map((message) => String(message.content));

describe("retention with an injected clock", () => {
  let harness: EngineHarness;
  afterEach(async () => {
    await harness?.close();
  });

  it("keeps a conversation RETENTION_DAYS after its last turn, then forgets it", async () => {
    let nowMs = Date.UTC(2030, 0, 1, 12, 0);
    harness = await startEngineHarness({ env: { RETENTION_DAYS: "30" }, now: () => new Date(nowMs) });
    await harness.run({ kind: "follow-up", text: "remember 7" });

    nowMs += 29 * DAY_MS;
    await harness.run({ kind: "follow-up", text: "still there?" });
    expect(historySent(harness)).toEqual(["Ada: remember 7", "Echo: Ada: remember 7"]);

    // 30 days after that last turn, and a minute more: gone, and the thread is no longer parley's.
    nowMs += 30 * DAY_MS + 60_000;
    expect(await harness.parley.engine.hasConversation(TEST_KEY)).toBe(false);
    await harness.run({ kind: "follow-up", text: "and now?" });
    expect(historySent(harness)).toEqual([]);
  });

  it("forgets at once on /reset", async () => {
    harness = await startEngineHarness();
    await harness.run({ kind: "follow-up", text: "a secret" });
    expect((await harness.run({ kind: "reset" })).result?.text).toContain("I forgot this conversation");
    await harness.run({ kind: "follow-up", text: "what was it?" });
    expect(historySent(harness)).toEqual([]);
  });
});

describe("stores", () => {
  let redis: TestRedis;
  const directory = mkdtempSync(join(tmpdir(), "parley-retention-"));
  const opened: Stores[] = [];
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await Promise.all(opened.map((stores) => stores.close()));
    await redis.close();
    rmSync(directory, { recursive: true, force: true });
  });
  const open = async (backend: "SQLite" | "Redis") => {
    const stores = await openStores(
      backend === "Redis" ? redis.url : `sqlite://${join(directory, `${Math.random()}.sqlite`)}`,
    );
    opened.push(stores);
    return stores;
  };

  it("gives Redis conversations RETENTION_DAYS to live from their last write", async () => {
    const stores = await open("Redis");
    const conversations = new ConversationStore(stores.history, { retentionMs: 2 * DAY_MS });
    const key = { ...TEST_KEY, thread: `ttl-${Math.random()}` };
    await conversations.appendExchange(key, { user: "Ada: hi", assistant: "hello", model: "m" });
    const client = await createClient({ url: redis.url }).connect();
    try {
      const ttlMs = await client.pTTL(metaKey(conversationId(key)));
      expect(ttlMs).toBeGreaterThan(2 * DAY_MS - 60_000);
      expect(ttlMs).toBeLessThanOrEqual(2 * DAY_MS);
    } finally {
      await client.close();
    }
  });

  it.each(["SQLite", "Redis"] as const)(
    "%s: forgets the conversations one person started, and only theirs",
    async (backend) => {
      const stores = await open(backend);
      const conversations = new ConversationStore(stores.history, { retentionMs: DAY_MS });
      const person = `test:W1:U-${Math.random()}`;
      const [first, second, others] = ["a", "b", "c"].map((thread) => ({
        ...TEST_KEY,
        thread: `${thread}-${Math.random()}`,
      })) as [typeof TEST_KEY, typeof TEST_KEY, typeof TEST_KEY];
      await conversations.open(first, "m", person);
      await conversations.appendExchange(first, { user: "Ada: mine", assistant: "ok", model: "m" });
      await conversations.open(second, "m", person);
      await conversations.open(others, "m", "test:W1:U-someone-else");
      await conversations.appendExchange(others, { user: "Grace: hers", assistant: "ok", model: "m" });

      expect(await conversations.forgetStartedBy(person)).toBe(2);
      expect(await conversations.load(first)).toBeUndefined();
      expect(await conversations.has(second)).toBe(false);
      expect((await conversations.load(others))?.messages).toHaveLength(2);
      expect(await conversations.forgetStartedBy(person)).toBe(0);
    },
  );
});
