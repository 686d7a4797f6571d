// The prompt's history, kept in a file between runs: one line per entry, oldest first, readable only by its owner.
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { MAX_PROMPT_CHARACTERS } from "../../src/engine/routing.ts";
import type { Logger } from "../../src/logger.ts";

/** Entries kept, in the file and for ↑. */
export const HISTORY_MAX_ENTRIES = 500;

/** The prompt's history and where it is kept. */
export interface LineHistory {
  /** The entries, newest first (as readline wants them). */
  readonly entries: string[];
  /** Keeps readline's entries (newest first); writes are queued, so the last call wins. */
  save(entries: readonly string[]): void;
  /** Resolves once every queued write has ended. */
  flush(): Promise<void>;
}

/**
 * Loads the history file (missing is empty). Lines longer than parley's prompt limit stay in the running session
 * (↑ brings them back to shorten them) but are not written: parley refused them, and they would bloat the file.
 * A file that cannot be read or written costs only the history, with a warning in the log.
 */
export async function openLineHistory(path: string, logger: Logger): Promise<LineHistory> {
  let entries: string[] = [];
  try {
    const text = await readFile(path, "utf8");
    entries = text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .slice(-HISTORY_MAX_ENTRIES)
      .reverse();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT")
      logger.warn({ err: error, path }, "could not read the chat history; starting without it");
  }
  let writing = Promise.resolve();
  let warned = false;
  const write = async (kept: readonly string[]): Promise<void> => {
    const text = [...kept]
      .filter((line) => line.length <= MAX_PROMPT_CHARACTERS && !line.includes("\n"))
      .slice(0, HISTORY_MAX_ENTRIES)
      .reverse()
      .map((line) => `${line}\n`)
      .join("");
    // A whole new file, renamed over the old one: a crash mid-write cannot leave half a history.
    const partial = `${path}.${process.pid}.tmp`;
    try {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await writeFile(partial, text, { mode: 0o600 });
      await chmod(partial, 0o600);
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true }).catch(() => undefined);
      if (!warned) logger.warn({ err: error, path }, "could not save the chat history");
      warned = true;
    }
  };
  return {
    entries,
    save(kept) {
      const snapshot = [...kept];
      writing = writing.then(() => write(snapshot));
    },
    flush: () => writing,
  };
}
