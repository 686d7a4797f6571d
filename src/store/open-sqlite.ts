// The SQLite store: one file, keyv namespaces for plain values, tables for history, counters and claims.
import Keyv from "keyv";
import { sqliteCounters } from "./counters.ts";
import { CONVERSATION_TTL_MS } from "./history.ts";
import { inProcessLocks } from "./locks.ts";
import type { StoreOptions, Stores } from "./open-stores.ts";
import { sqliteHistory } from "./sqlite-history.ts";
import { sqliteQuotas } from "./sqlite-quotas.ts";
import { SqliteDatabase, SqliteStore } from "./sqlite-store.ts";

/** Opens (creating if needed) the SQLite file at `filePath`. */
export function openSqlite(filePath: string, options: StoreOptions): Stores {
  const sqlite = new SqliteDatabase(filePath, { busyTimeoutMs: options.sqliteBusyTimeoutMs });
  const namespace = (name: string) =>
    new Keyv({ store: new SqliteStore(sqlite), namespace: name, throwOnErrors: true });
  const claim = sqlite.database.prepare(
    "INSERT INTO keyv (key, value, expires_at) VALUES (?, '1', ?) ON CONFLICT(key) DO UPDATE " +
      "SET value = '1', expires_at = excluded.expires_at WHERE keyv.expires_at < ?",
  );
  return {
    history: sqliteHistory(sqlite.database, namespace("history"), CONVERSATION_TTL_MS, options.now),
    settings: namespace("settings"),
    controls: namespace("controls"),
    counters: sqliteCounters(sqlite.database),
    // After the counters: the quotas read their table.
    quotas: sqliteQuotas(sqlite.database),
    // One process owns a SQLite file, so its turns need no lock beyond this process.
    locks: inProcessLocks(),
    kind: "sqlite",
    async ping() {
      // Taking the write lock (and giving it straight back) fails while another connection holds the file
      // locked, when writes would fail too; in WAL mode a read alone would still succeed.
      sqlite.database.exec("BEGIN IMMEDIATE");
      sqlite.database.exec("ROLLBACK");
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
