// Quotas in tables of the SQLite file: one write transaction reads the counters, the window and the slots.
import type { DatabaseSync } from "node:sqlite";
import type { Quotas, QuotaVerdict } from "./quotas.ts";
import { inWriteTransaction } from "./sqlite-store.ts";

/** Quotas on `database`, whose `counters` table (counters.ts) the caps read. */
export function sqliteQuotas(database: DatabaseSync): Quotas {
  database.exec(
    "CREATE TABLE IF NOT EXISTS quota_window (key TEXT NOT NULL, id TEXT NOT NULL, at INTEGER NOT NULL, " +
      "PRIMARY KEY (key, id)); " +
      "CREATE TABLE IF NOT EXISTS quota_slots (key TEXT NOT NULL, id TEXT NOT NULL, expires_at INTEGER NOT NULL, " +
      "PRIMARY KEY (key, id));",
  );
  const statements = {
    counter: database.prepare("SELECT field, value FROM counters WHERE key = ? AND expires_at >= ?"),
    dropOld: database.prepare("DELETE FROM quota_window WHERE key = ? AND at <= ?"),
    window: database.prepare("SELECT COUNT(*) AS count, MIN(at) AS oldest FROM quota_window WHERE key = ?"),
    addToWindow: database.prepare("INSERT OR REPLACE INTO quota_window (key, id, at) VALUES (?, ?, ?)"),
    dropExpiredSlots: database.prepare("DELETE FROM quota_slots WHERE key = ? AND expires_at <= ?"),
    slots: database.prepare("SELECT COUNT(*) AS count FROM quota_slots WHERE key = ?"),
    takeSlot: database.prepare("INSERT OR REPLACE INTO quota_slots (key, id, expires_at) VALUES (?, ?, ?)"),
    releaseSlot: database.prepare("DELETE FROM quota_slots WHERE key = ? AND id = ?"),
  };
  return {
    async admit(request) {
      const { nowMs, id } = request;
      return inWriteTransaction(database, (): QuotaVerdict => {
        for (const cap of request.caps) {
          // Counters expire by the wall clock they were written with, so they are read by it too.
          const rows = statements.counter.all(cap.counterKey, Date.now()) as {
            field: string;
            value: number;
          }[];
          const used = rows
            .filter((row) => cap.fields.includes(row.field))
            .reduce((sum, row) => sum + row.value, 0);
          if (used >= cap.limit) return { admitted: false, refusedBy: "cap", cap: cap.name, used };
        }
        const { window, slots } = request;
        if (window) {
          statements.dropOld.run(window.key, nowMs - window.windowMs);
          const { count, oldest } = statements.window.get(window.key) as {
            count: number;
            oldest: number | null;
          };
          if (count >= window.limit)
            return { admitted: false, refusedBy: "window", used: count, oldestAtMs: oldest ?? nowMs };
        }
        if (slots) {
          statements.dropExpiredSlots.run(slots.key, nowMs);
          const { count } = statements.slots.get(slots.key) as { count: number };
          if (count >= slots.limit) return { admitted: false, refusedBy: "slots", used: count };
        }
        if (window) statements.addToWindow.run(window.key, id, nowMs);
        if (slots) statements.takeSlot.run(slots.key, id, nowMs + slots.leaseMs);
        return { admitted: true };
      });
    },
    async release(key, id) {
      statements.releaseSlot.run(key, id);
    },
  };
}
