// Opens the store parley persists into, on SQLite or Redis as STORE_URL says; nothing else knows which.
import type Keyv from "keyv";
import { withoutCredentials } from "../config.ts";
import { ParleyError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { Counters } from "./counters.ts";
import type { HistoryStore } from "./history.ts";
import type { ConversationLocks } from "./locks.ts";
import { openRedis } from "./open-redis.ts";
import { openSqlite } from "./open-sqlite.ts";
import type { Quotas } from "./quotas.ts";

/** Every persisted thing. Every method rejects when the store fails: a failure is never an empty value. */
export interface Stores {
  /** Conversation histories: appended atomically (fenced by a lock), read as a bounded tail. */
  history: HistoryStore;
  /** Per-channel settings such as the /model choice (a keyv namespace that throws on store errors). */
  settings: Keyv;
  /** What replies' controls need: who asked each answer, stop requests, votes (a keyv namespace). */
  controls: Keyv;
  /** Token and cost counters per user, channel and workspace, per day and month: atomic across processes. */
  counters: Counters;
  /** Admissions against usage limits, a rate window and answers in flight: atomic across processes. */
  quotas: Quotas;
  /** One lock per conversation: in-process on SQLite, shared by every process on Redis. */
  locks: ConversationLocks;
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

/** How the store behaves when its backend is slow or gone; every field has a production default. */
export interface StoreOptions {
  /** Where connection loss and recovery are logged (once per transition). */
  logger?: Logger;
  /**
   * SQLite: how long a statement waits for another connection's lock (default 500). node:sqlite waits
   * synchronously, blocking the whole process, so this stays short.
   */
  sqliteBusyTimeoutMs?: number;
  /** SQLite: the clock conversations expire by (default Date.now; Redis expires keys by its own clock). */
  now?: () => number;
  /** Redis: how long one call may wait for Redis to answer before it fails (default 2000). */
  redisCommandTimeoutMs?: number;
  /** Redis: how long one connection attempt may take (default 2000). */
  redisConnectTimeoutMs?: number;
  /** Redis: how long opening waits for the first connection before giving up (default 10000). */
  redisStartupTimeoutMs?: number;
}

/** Opens the store named by a `sqlite://file` or `redis://host:port` URL. */
export async function openStores(storeUrl: string, options: StoreOptions = {}): Promise<Stores> {
  if (storeUrl.startsWith("sqlite://")) {
    const filePath = storeUrl.slice("sqlite://".length);
    try {
      return openSqlite(filePath, options);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ParleyError(
        "config",
        `STORE_URL: could not open the SQLite file ${filePath} (${reason}): check that its folder is writable, ` +
          "or correct STORE_URL",
        { cause: error },
      );
    }
  }
  if (/^rediss?:\/\//.test(storeUrl)) return openRedis(storeUrl, options);
  throw new ParleyError(
    "config",
    `STORE_URL: expected sqlite://… or redis://…, got "${withoutCredentials(storeUrl)}"`,
  );
}

/** Where the store lives, for the start-up summary: "SQLite file data/parley.sqlite", "Redis at redis://***@…". */
export function storeDescription(storeUrl: string): string {
  if (storeUrl === "sqlite://:memory:") return "SQLite in memory (nothing is kept after a restart)";
  if (storeUrl.startsWith("sqlite://")) return `SQLite file ${storeUrl.slice("sqlite://".length)}`;
  return `Redis at ${withoutCredentials(storeUrl)}`;
}
