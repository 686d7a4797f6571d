// Counters that several processes can add to at once without losing updates: SQLite upserts or a Redis script.
import type { DatabaseSync } from "node:sqlite";
import type { RedisScriptClient } from "./redis-keys.ts";
import { inWriteTransaction } from "./sqlite-store.ts";

/** Named numbers under one key, added to atomically. */
export interface Counters {
  /** Adds each amount to its field of `key` (creating them at 0), and sets the key to expire `ttlMs` from now. */
  add(key: string, amounts: Record<string, number>, ttlMs: number): Promise<void>;
  /** The fields of `key`, or {} when it does not exist or expired. */
  read(key: string): Promise<Record<string, number>>;
  /** Deletes the counters under each key; resolves to how many of the keys existed. */
  remove(keys: readonly string[]): Promise<number>;
}

/** Counters in a table of the SQLite file; SQLite's own locking keeps additions from several processes whole. */
export function sqliteCounters(database: DatabaseSync): Counters {
  database.exec(
    "CREATE TABLE IF NOT EXISTS counters (key TEXT NOT NULL, field TEXT NOT NULL, value REAL NOT NULL, " +
      "expires_at INTEGER NOT NULL, PRIMARY KEY (key, field))",
  );
  const upsert = database.prepare(
    "INSERT INTO counters (key, field, value, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT(key, field) DO UPDATE " +
      "SET value = CASE WHEN counters.expires_at < ? THEN excluded.value ELSE counters.value + excluded.value END, " +
      "expires_at = excluded.expires_at",
  );
  const select = database.prepare("SELECT field, value FROM counters WHERE key = ? AND expires_at >= ?");
  const sweep = database.prepare("DELETE FROM counters WHERE expires_at < ?");
  const removeKey = database.prepare("DELETE FROM counters WHERE key = ?");
  let additionsSinceSweep = 0;
  return {
    async add(key, amounts, ttlMs) {
      const now = Date.now();
      inWriteTransaction(database, () => {
        for (const [field, amount] of Object.entries(amounts))
          upsert.run(key, field, amount, now + ttlMs, now);
      });
      additionsSinceSweep += 1;
      if (additionsSinceSweep >= 500) {
        additionsSinceSweep = 0;
        sweep.run(now);
      }
    },
    async read(key) {
      const rows = select.all(key, Date.now()) as { field: string; value: number }[];
      return Object.fromEntries(rows.map((row) => [row.field, row.value]));
    },
    async remove(keys) {
      return inWriteTransaction(
        database,
        () => keys.filter((key) => Number(removeKey.run(key).changes) > 0).length,
      );
    },
  };
}

// KEYS: the hash. ARGV: ttlMs, then field and amount pairs.
const ADD = `
for index = 2, #ARGV - 1, 2 do redis.call('HINCRBYFLOAT', KEYS[1], ARGV[index], ARGV[index + 1]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`;

// KEYS: the hashes to delete.
const REMOVE = `return redis.call('DEL', unpack(KEYS))`;

/** The part of a node-redis client the counters use. */
export interface RedisCounterClient extends RedisScriptClient {
  hGetAll(key: string): Promise<Record<string, string>>;
}

/** The Redis hash that holds the counters under `key`. */
export function redisCounterKey(key: string): string {
  return `parley:counters:${key}`;
}

/** Counters as Redis hashes, changed by one script so a reader never sees half an addition. */
export function redisCounters(client: RedisCounterClient): Counters {
  const redisKey = redisCounterKey;
  return {
    async add(key, amounts, ttlMs) {
      // A script rather than MULTI: node-redis sends MULTI past its offline check and command timeout.
      await client.eval(ADD, {
        keys: [redisKey(key)],
        arguments: [
          String(ttlMs),
          ...Object.entries(amounts).flatMap(([field, amount]) => [field, String(amount)]),
        ],
      });
    },
    async read(key) {
      const fields = await client.hGetAll(redisKey(key));
      return Object.fromEntries(Object.entries(fields).map(([field, value]) => [field, Number(value)]));
    },
    async remove(keys) {
      if (keys.length === 0) return 0;
      return Number(await client.eval(REMOVE, { keys: keys.map(redisKey), arguments: [] }));
    },
  };
}
