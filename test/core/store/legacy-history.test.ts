// Conversations stored by the previous release (one keyv JSON value each) are read and continued after upgrading.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import KeyvRedis, { createClient } from "@keyv/redis";
import Keyv from "keyv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConversationStore } from "../../../src/context/conversation-store.ts";
import { openStores } from "../../../src/store/open-stores.ts";
import { SqliteDatabase, SqliteStore } from "../../../src/store/sqlite-store.ts";
import { conversationId } from "../../../src/types.ts";
import { startTestRedis, type TestRedis } from "../../support/redis-server.ts";
import { freshKey } from "./engine-on-store.ts";

const directory = mkdtempSync(join(tmpdir(), "parley-legacy-"));
let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.close();
  rmSync(directory, { recursive: true, force: true });
});

const key = freshKey("legacy");
const previousRelease = {
  model: "gpt-4o",
  messages: [
    { role: "user", content: "Ada: :colon first", tokens: 7 },
    { role: "assistant", content: "noted", tokens: 3 },
  ],
  updatedAtMs: 1_700_000_000_000,
};

/** Each backend, with a way to write `previousRelease` exactly as the previous release's ConversationStore did. */
const backends = [
  {
    name: "SQLite",
    url: `sqlite://${join(directory, "legacy.sqlite")}`,
    async writeOld() {
      const sqlite = new SqliteDatabase(join(directory, "legacy.sqlite"));
      const keyv = new Keyv({ store: new SqliteStore(sqlite), namespace: "history" });
      await keyv.set(conversationId(key), previousRelease, 60_000);
      const check = async () => keyv.get(conversationId(key));
      return { check, close: async () => sqlite.close() };
    },
  },
  {
    name: "Redis",
    url: "",
    async writeOld() {
      const client = await createClient({ url: redis.url }).connect();
      const keyv = new Keyv({
        store: new KeyvRedis(client as unknown as ConstructorParameters<typeof KeyvRedis>[0], {
          namespace: "history",
        }),
        namespace: "history",
        useKeyPrefix: false,
      });
      await keyv.set(conversationId(key), previousRelease, 60_000);
      const check = async () => keyv.get(conversationId(key));
      return { check, close: async () => void (await client.close()) };
    },
  },
];

describe.each(backends)("$name history written by the previous release", (backend) => {
  it("is read, continued and forgotten like any other", async () => {
    const old = await backend.writeOld();
    const stores = await openStores(backend.url || redis.url);
    const conversations = new ConversationStore(stores.history, { retentionMs: 30 * 86_400_000 });

    expect(await conversations.load(key)).toEqual(previousRelease);
    expect(await old.check()).toBeUndefined();
    expect(
      await conversations.appendExchange(key, { user: "Ada: again", assistant: "yes", model: "m2" }),
    ).toBe(true);
    const continued = await conversations.load(key);
    expect(continued?.model).toBe("m2");
    expect(continued?.messages.map((message) => message.content)).toEqual([
      "Ada: :colon first",
      "noted",
      "Ada: again",
      "yes",
    ]);
    expect(await conversations.forget(key)).toBe(true);
    expect(await conversations.load(key)).toMatchObject({ messages: [] });
    await stores.close();
    await old.close();
  });
});
