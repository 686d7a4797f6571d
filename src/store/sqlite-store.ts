// A keyv storage adapter on Node's built-in SQLite (node:sqlite): no native addon to compile or download.
import { EventEmitter } from "node:events";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { KeyvStoreAdapter, StoredData } from "keyv";

/** How many writes pass between sweeps of expired rows. */
const WRITES_PER_EXPIRY_SWEEP = 200;

/**
 * Runs `work` in a write transaction (BEGIN IMMEDIATE: the write lock is taken up front, never upgraded midway),
 * rolling back when it throws.
 */
export function inWriteTransaction<Result>(database: DatabaseSync, work: () => Result): Result {
  database.exec("BEGIN IMMEDIATE");
  try {
    const result = work();
    database.exec("COMMIT");
    return result;
  } catch (error) {
    if (database.isTransaction) database.exec("ROLLBACK");
    throw error;
  }
}

/** One SQLite file shared by every namespace's adapter. */
export class SqliteDatabase {
  readonly database: DatabaseSync;
  private writesSinceSweep = 0;

  /** `busyTimeoutMs`: how long a statement waits for another connection's lock before failing (default 2 s). */
  constructor(filePath: string, options: { busyTimeoutMs?: number } = {}) {
    if (filePath !== ":memory:") mkdirSync(dirname(filePath), { recursive: true });
    this.database = new DatabaseSync(filePath);
    // WAL lets readers and the writer work side by side; busy_timeout rides out another connection briefly, and
    // stays short because node:sqlite waits synchronously, holding up the whole process. synchronous = NORMAL
    // (SQLite's advice for WAL) syncs the log at checkpoints instead of at every commit: the file is never
    // corrupted, a crash of parley loses nothing, and only a power cut may lose the last commits; a turn no longer
    // waits about half a millisecond on the disk for each of its writes (the event's claim, the limits check).
    const busyTimeoutMs = Math.max(0, Math.floor(options.busyTimeoutMs ?? 500));
    this.database.exec(
      `PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = ${busyTimeoutMs};`,
    );
    this.database.exec(
      "CREATE TABLE IF NOT EXISTS keyv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER)",
    );
  }

  /** Deletes expired rows now and then, so keys written with a TTL do not pile up. */
  noteWrite(): void {
    this.writesSinceSweep += 1;
    if (this.writesSinceSweep < WRITES_PER_EXPIRY_SWEEP) return;
    this.writesSinceSweep = 0;
    this.database.prepare("DELETE FROM keyv WHERE expires_at IS NOT NULL AND expires_at < ?").run(Date.now());
  }

  close(): void {
    if (this.database.isOpen) this.database.close();
  }
}

/** The keyv adapter for one namespace of a SqliteDatabase. */
export class SqliteStore extends EventEmitter implements KeyvStoreAdapter {
  opts: { dialect: string };
  namespace?: string;
  private readonly sqlite: SqliteDatabase;

  constructor(sqlite: SqliteDatabase) {
    super();
    this.sqlite = sqlite;
    this.opts = { dialect: "sqlite" };
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const row = this.sqlite.database.prepare("SELECT value, expires_at FROM keyv WHERE key = ?").get(key) as
      | { value: string; expires_at: number | null }
      | undefined;
    if (!row) return undefined;
    if (row.expires_at !== null && row.expires_at < Date.now()) {
      await this.delete(key);
      return undefined;
    }
    return row.value as StoredData<Value>;
  }

  async set(key: string, value: unknown, ttl?: number): Promise<void> {
    const expiresAt = typeof ttl === "number" && ttl > 0 ? Date.now() + ttl : null;
    this.sqlite.database
      .prepare(
        "INSERT INTO keyv (key, value, expires_at) VALUES (?, ?, ?) " +
          "ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at",
      )
      .run(key, String(value), expiresAt);
    this.sqlite.noteWrite();
  }

  async delete(key: string): Promise<boolean> {
    const result = this.sqlite.database.prepare("DELETE FROM keyv WHERE key = ?").run(key);
    return Number(result.changes) > 0;
  }

  async clear(): Promise<void> {
    const prefix = this.namespace ? `${this.namespace}:` : "";
    this.sqlite.database.prepare("DELETE FROM keyv WHERE substr(key, 1, ?) = ?").run(prefix.length, prefix);
  }

  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  async disconnect(): Promise<void> {
    // The shared database is closed once by its owner (openStores).
  }
}
