// keyv's own contract suite against parley's SQLite adapter: the adapter behaves as keyv expects of any store.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import keyvTestSuite from "@keyv/test-suite";
import Keyv from "keyv";
import * as vitest from "vitest";
import { SqliteDatabase, SqliteStore } from "../../../src/store/sqlite-store.ts";

const directory = mkdtempSync(join(tmpdir(), "parley-keyv-contract-"));
const sqlite = new SqliteDatabase(join(directory, "contract.sqlite"));
vitest.afterAll(() => {
  sqlite.close();
  rmSync(directory, { recursive: true, force: true });
});

vitest.describe("SqliteStore under keyv's contract suite", () => {
  // The suite declares the vitest it was built against; the running one has the same test API.
  const testApi = vitest as unknown as Parameters<typeof keyvTestSuite>[0];
  keyvTestSuite(testApi, Keyv, () => new SqliteStore(sqlite));
});
