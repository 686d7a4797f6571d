// The prompt's history file: bounded, private, and never a reason to fail.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HISTORY_MAX_ENTRIES, openLineHistory } from "../../../adapters/terminal/line-history.ts";
import { createLogger } from "../../../src/logger.ts";

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "parley-history-"));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** A logger whose lines are kept. */
function recordingLogger() {
  const lines: string[] = [];
  const destination = { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream;
  return { logger: createLogger("warn", destination), lines };
}

describe("the chat history file", () => {
  it("starts empty, then keeps the newest entries, oldest first, in a file only its owner reads", async () => {
    const path = join(directory, "data/chat-history");
    const history = await openLineHistory(path, recordingLogger().logger);
    expect(history.entries).toEqual([]);
    const newestFirst = Array.from(
      { length: HISTORY_MAX_ENTRIES + 20 },
      (_, index) => `question ${600 - index}`,
    );
    history.save(newestFirst);
    await history.flush();
    const saved = readFileSync(path, "utf8").trimEnd().split("\n");
    expect(saved).toHaveLength(HISTORY_MAX_ENTRIES);
    expect(saved.at(-1)).toBe("question 600");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect((await openLineHistory(path, recordingLogger().logger)).entries[0]).toBe("question 600");
  });

  it("does not write lines over the prompt limit: parley refused them", async () => {
    const path = join(directory, "chat-history");
    const history = await openLineHistory(path, recordingLogger().logger);
    history.save(["short one", "z".repeat(8_001)]);
    await history.flush();
    expect(readFileSync(path, "utf8")).toBe("short one\n");
  });

  it("a history it cannot read or write costs a warning in the log, nothing more", async () => {
    const path = join(directory, "not-a-file");
    mkdirSync(path);
    writeFileSync(join(path, "keep"), "");
    const { logger, lines } = recordingLogger();
    const history = await openLineHistory(path, logger);
    expect(history.entries).toEqual([]);
    history.save(["hello"]);
    history.save(["hello", "again"]);
    await history.flush();
    expect(lines.filter((line) => line.includes("could not read the chat history"))).toHaveLength(1);
    expect(lines.filter((line) => line.includes("could not save the chat history"))).toHaveLength(1);
  });
});
