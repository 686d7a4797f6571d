// A SQLite file that another connection holds locked: answers still arrive, nothing stored is lost or overwritten.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStores, type Stores } from "../../../src/store/open-stores.ts";
import { ANSWER_NOT_SAVED_NOTE } from "../../../src/store/store-errors.ts";
import { conversationId } from "../../../src/types.ts";
import { collect } from "../../support/engine-harness.ts";
import { type FakeAimlApi, startFakeAimlApi } from "../../support/fake-aimlapi.ts";
import { ask, engineOn, freshKey, recordLogs } from "./engine-on-store.ts";

const directory = mkdtempSync(join(tmpdir(), "parley-sqlite-locked-"));
const file = join(directory, "parley.sqlite");
let fake: FakeAimlApi;
let stores: Stores;
const logs = recordLogs();

beforeAll(async () => {
  fake = await startFakeAimlApi();
  stores = await openStores(`sqlite://${file}`, { logger: logs.logger, sqliteBusyTimeoutMs: 100 });
});
afterAll(async () => {
  await stores.close();
  await fake.close();
  rmSync(directory, { recursive: true, force: true });
});

/** Another connection (a backup tool, a second process) holding the file's write lock until released. */
function holdExclusiveLock(): () => void {
  const other = new DatabaseSync(file);
  other.exec("BEGIN EXCLUSIVE");
  return () => {
    other.exec("COMMIT");
    other.close();
  };
}

describe("a SQLite file locked by another connection", () => {
  it("fails the health ping while the lock is held (writes would fail), and passes again once released", async () => {
    await expect(stores.ping()).resolves.toBeUndefined();
    const release = holdExclusiveLock();
    try {
      await expect(stores.ping()).rejects.toThrow(/locked/);
    } finally {
      release();
    }
    await expect(stores.ping()).resolves.toBeUndefined();
  });

  it("answers with a notice while the lock is held, and keeps every earlier exchange", async () => {
    const engine = engineOn(stores, fake, { logger: logs.logger });
    const key = freshKey("locked");
    for (const word of ["one", "two", "three"]) expect((await ask(engine, word, key)).result).toBeDefined();

    const release = holdExclusiveLock();
    const startedAtMs = Date.now();
    const locked = await ask(engine, "four", key);
    const reset = await collect(
      engine.reply({ key, author: { id: "U1", displayName: "Ada", isBot: false }, kind: "reset", text: "" }),
    );
    // The settings namespace is a keyv: its write fails loudly too, instead of answering "From now on…".
    const modelChange = await collect(
      engine.reply({
        key,
        author: { id: "U1", displayName: "Ada", isBot: false },
        kind: "model",
        text: engine.allowedModels()[0] ?? "",
      }),
    );
    release();

    expect(modelChange.error?.error.code).toBe("store_unavailable");
    // WAL readers are not blocked by a writer: the history was read, the answer given, only saving failed.
    expect(locked.result?.text).toBe("Echo: Ada: four");
    expect(locked.result?.notes).toContain(ANSWER_NOT_SAVED_NOTE);
    expect(Date.now() - startedAtMs).toBeLessThan(4_000);
    expect(logs.withMessage("could not save the exchange").at(-1)?.conversation).toBe(conversationId(key));
    expect(reset.error?.error.code).toBe("store_unavailable");
    expect(reset.error?.error.userMessage).toBe(
      "parley could not reach its memory store, so nothing was changed — try again shortly.",
    );

    fake.reset();
    expect((await ask(engine, "five", key)).result?.notes).toEqual([]);
    expect(
      fake
        .chatRequests()[0]
        ?.messages.slice(1)
        .map((message) => message.content),
    ).toEqual([
      "Ada: one",
      "Echo: Ada: one",
      "Ada: two",
      "Echo: Ada: two",
      "Ada: three",
      "Echo: Ada: three",
      "Ada: five",
    ]);
  });

  it("fails a first turn's marker loudly in the logs but still answers", async () => {
    const engine = engineOn(stores, fake, { logger: logs.logger });
    const key = freshKey("locked-new");
    const release = holdExclusiveLock();
    const outcome = await ask(engine, "hello", key);
    release();
    expect(outcome.result?.text).toBe("Echo: Ada: hello");
    expect(outcome.result?.notes).toContain(ANSWER_NOT_SAVED_NOTE);
    expect(logs.withMessage("could not open the conversation").at(-1)?.conversation).toBe(
      conversationId(key),
    );
    expect(await stores.history.read(conversationId(key), 10)).toBeUndefined();
  });
});
