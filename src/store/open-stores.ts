// Opens the keyv namespaces parley persists into, on SQLite or Redis as STORE_URL says; nothing else knows which.
import KeyvRedis, { createClient } from "@keyv/redis";
import Keyv from "keyv";
import { ParleyError } from "../errors.ts";
import { type Counters, redisCounters, sqliteCounters } from "./counters.ts";
import { SqliteDatabase, SqliteStore } from "./sqlite-store.ts";

/** Every persisted thing, one keyv namespace each. */
export interface Stores {
  /** Conversation histories, by conversation id. */
  history: Keyv;
  /** Per-channel settings such as the /model choice. */
  settings: Keyv;
  /** Token and cost counters per user, channel and workspace, per day and month: atomic across processes. */
  counters: Counters;
  /**
   * Records `id` if it was never recorded, atomically across processes sharing the store.
   * Returns false when it was recorded before (a retried platform delivery).
   */
  claimOnce(id: string, ttlMs: number): Promise<boolean>;
  /** Resolves when the store answers a trivial request, rejects when it cannot (health checks). */
  ping(): Promise<void>;
  /** Which backend this is, for logs. */
  kind: "sqlite" | "redis";
  close(): Promise<void>;
}

const NAMESPACES = ["history", "settings"] as const;

/** Opens the store named by a `sqlite://file` or `redis://host:port` URL. */
export async function openStores(storeUrl: string): Promise<Stores> {
  if (storeUrl.startsWith("sqlite://")) return openSqlite(storeUrl.slice("sqlite://".length));
  if (/^rediss?:\/\//.test(storeUrl)) return openRedis(storeUrl);
  throw new ParleyError("config", `STORE_URL: expected sqlite://… or redis://…, got "${storeUrl}"`);
}

function openSqlite(filePath: string): Stores {
  const sqlite = new SqliteDatabase(filePath);
  const [history, settings] = NAMESPACES.map(
    (namespace) => new Keyv({ store: new SqliteStore(sqlite), namespace }),
  ) as [Keyv, Keyv];
  const claim = sqlite.database.prepare(
    "INSERT INTO keyv (key, value, expires_at) VALUES (?, '1', ?) ON CONFLICT(key) DO UPDATE " +
      "SET value = '1', expires_at = excluded.expires_at WHERE keyv.expires_at < ?",
  );
  return {
    history,
    settings,
    counters: sqliteCounters(sqlite.database),
    kind: "sqlite",
    async ping() {
      sqlite.database.prepare("SELECT 1").get();
    },
    async claimOnce(id, ttlMs) {
      const now = Date.now();
      return Number(claim.run(`claimed:${id}`, now + ttlMs, now).changes) > 0;
    },
    async close() {
      sqlite.close();
    },
  };
}

async function openRedis(url: string): Promise<Stores> {
  const client = createClient({
    url,
    socket: { connectTimeout: 5000, reconnectStrategy: (attempts: number) => Math.min(attempts * 200, 5000) },
  });
  client.on("error", () => {
    // Connection errors surface on the next command; the client reconnects by itself.
  });
  try {
    await client.connect();
  } catch (error) {
    throw new ParleyError("config", `STORE_URL: could not connect to Redis at ${redactUrl(url)}`, {
      cause: error,
    });
  }
  const [history, settings] = NAMESPACES.map(
    (namespace) =>
      new Keyv({
        store: new KeyvRedis(client, { namespace, throwOnErrors: true }),
        namespace,
        useKeyPrefix: false,
      }),
  ) as [Keyv, Keyv];
  return {
    history,
    settings,
    counters: redisCounters(client),
    kind: "redis",
    async ping() {
      await client.ping();
    },
    async claimOnce(id, ttlMs) {
      const answer = await client.set(`parley:claimed:${id}`, "1", {
        condition: "NX",
        expiration: { type: "PX", value: ttlMs },
      });
      return answer === "OK";
    },
    async close() {
      await client.close();
    },
  };
}

/** Drops the password from a Redis URL before it is shown anywhere. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, "//***@");
}
