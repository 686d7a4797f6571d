// Conversation histories as rows of the SQLite file: an append is one INSERT transaction, a read takes the tail.
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type Keyv from "keyv";
import type { HistoryRecord, HistoryStore, StoredMessage } from "./history.ts";
import { type ImportedConversation, readLegacyConversation } from "./legacy-history.ts";
import { inWriteTransaction } from "./sqlite-store.ts";

/** How many writes pass between sweeps of expired conversations. */
const WRITES_PER_EXPIRY_SWEEP = 200;

/**
 * Histories in tables of `database`; `legacy` holds conversations written in the single-JSON format. `now` is the
 * clock expiry is measured by.
 */
export function sqliteHistory(
  database: DatabaseSync,
  legacy: Keyv,
  defaultTtlMs: number,
  now: () => number = Date.now,
): HistoryStore {
  database.exec(
    "CREATE TABLE IF NOT EXISTS conversations (id TEXT PRIMARY KEY, model TEXT, updated_at INTEGER NOT NULL, " +
      "expires_at INTEGER NOT NULL); " +
      "CREATE TABLE IF NOT EXISTS conversation_messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, " +
      "conversation TEXT NOT NULL, role TEXT NOT NULL, content TEXT NOT NULL, tokens INTEGER NOT NULL); " +
      "CREATE INDEX IF NOT EXISTS conversation_messages_by_conversation ON conversation_messages (conversation, seq);",
  );
  // Files written by earlier releases lack the column of who started a conversation.
  const columns = database.prepare("PRAGMA table_info(conversations)").all() as { name: string }[];
  if (!columns.some((column) => column.name === "started_by"))
    database.exec("ALTER TABLE conversations ADD COLUMN started_by TEXT");
  database.exec("CREATE INDEX IF NOT EXISTS conversations_by_starter ON conversations (started_by)");
  const statements = {
    meta: database.prepare("SELECT model, updated_at, expires_at FROM conversations WHERE id = ?"),
    tail: database.prepare(
      "SELECT role, content, tokens FROM conversation_messages WHERE conversation = ? ORDER BY seq DESC LIMIT ?",
    ),
    dropExpiredMessages: database.prepare(
      "DELETE FROM conversation_messages WHERE conversation = ? AND EXISTS " +
        "(SELECT 1 FROM conversations WHERE id = ? AND expires_at < ?)",
    ),
    upsert: database.prepare(
      "INSERT INTO conversations (id, model, updated_at, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE " +
        "SET model = excluded.model, updated_at = excluded.updated_at, expires_at = excluded.expires_at",
    ),
    insertMessage: database.prepare(
      "INSERT INTO conversation_messages (conversation, role, content, tokens) VALUES (?, ?, ?, ?)",
    ),
    trim: database.prepare(
      "DELETE FROM conversation_messages WHERE conversation = ? AND seq <= (SELECT seq FROM conversation_messages " +
        "WHERE conversation = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)",
    ),
    clearMessages: database.prepare("DELETE FROM conversation_messages WHERE conversation = ?"),
    setStarter: database.prepare("UPDATE conversations SET started_by = ? WHERE id = ?"),
    startedBy: database.prepare("SELECT id, expires_at FROM conversations WHERE started_by = ?"),
    deleteConversation: database.prepare("DELETE FROM conversations WHERE id = ?"),
    sweepMessages: database.prepare(
      "DELETE FROM conversation_messages WHERE conversation IN (SELECT id FROM conversations WHERE expires_at < ?)",
    ),
    sweepConversations: database.prepare("DELETE FROM conversations WHERE expires_at < ?"),
  };
  let writesSinceSweep = 0;

  /** Runs `work` in a write transaction, sweeping expired conversations now and then. */
  function write<Result>(work: () => Result): Result {
    const result = inWriteTransaction(database, work);
    writesSinceSweep += 1;
    if (writesSinceSweep >= WRITES_PER_EXPIRY_SWEEP) {
      writesSinceSweep = 0;
      write(() => {
        const at = now();
        statements.sweepMessages.run(at);
        statements.sweepConversations.run(at);
      });
    }
    return result;
  }

  function readNow(id: string, maxMessages: number): HistoryRecord | undefined {
    // One read transaction, so the metadata and the messages come from the same snapshot.
    database.exec("BEGIN");
    try {
      const meta = statements.meta.get(id) as
        | { model: string | null; updated_at: number; expires_at: number }
        | undefined;
      if (!meta || meta.expires_at < now()) return undefined;
      const rows = statements.tail.all(id, maxMessages) as unknown as StoredMessage[];
      return {
        ...(meta.model === null ? {} : { model: meta.model }),
        messages: rows.reverse().map(({ role, content, tokens }) => ({ role, content, tokens })),
        updatedAtMs: meta.updated_at,
      };
    } finally {
      database.exec("COMMIT");
    }
  }

  /** Starts a conversation's row (dropping the messages of an expired one it replaces), inside a transaction. */
  function touch(id: string, model: string | null, at: number, ttlMs: number): void {
    statements.dropExpiredMessages.run(id, id, at);
    statements.upsert.run(id, model, at, at + ttlMs);
  }

  function insertAll(statement: StatementSync, id: string, messages: readonly StoredMessage[]): void {
    for (const message of messages) statement.run(id, message.role, message.content, message.tokens);
  }

  /** Writes a legacy conversation in the current layout unless a newer write got there first. */
  async function importLegacy(id: string, conversation: ImportedConversation): Promise<void> {
    write(() => {
      if (statements.meta.get(id)) return;
      statements.upsert.run(
        id,
        conversation.model ?? null,
        conversation.updatedAtMs,
        conversation.expiresAtMs,
      );
      insertAll(statements.insertMessage, id, conversation.messages);
    });
    await legacy.delete(id);
  }

  return {
    async read(id, maxMessages) {
      const record = readNow(id, maxMessages);
      if (record) return record;
      const old = await readLegacyConversation(legacy, id, defaultTtlMs);
      if (!old) return undefined;
      await importLegacy(id, old);
      return readNow(id, maxMessages);
    },
    async append(id, messages, options) {
      return write(() => {
        if (options.fence && !options.fence.isHeld()) return false;
        touch(id, options.model, now(), options.ttlMs);
        insertAll(statements.insertMessage, id, messages);
        statements.trim.run(id, id, options.maxMessages);
        return true;
      });
    },
    async open(id, model, ttlMs, startedBy) {
      write(() => {
        touch(id, model, now(), ttlMs);
        if (startedBy !== undefined) statements.setStarter.run(startedBy, id);
      });
    },
    async clear(id, ttlMs) {
      return write(() => {
        const removed = Number(statements.clearMessages.run(id).changes);
        touch(id, null, now(), ttlMs);
        return removed > 0;
      });
    },
    async forgetStartedBy(startedBy) {
      return write(() => {
        const at = now();
        const rows = statements.startedBy.all(startedBy) as { id: string; expires_at: number }[];
        for (const row of rows) {
          statements.clearMessages.run(row.id);
          statements.deleteConversation.run(row.id);
        }
        return rows.filter((row) => row.expires_at >= at).length;
      });
    },
  };
}
