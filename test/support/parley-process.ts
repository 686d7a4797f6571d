// Runs `node adapters/main.ts` as a real process with only the given environment, and reads its JSON log lines.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const MAIN = new URL("../../adapters/main.ts", import.meta.url).pathname;

/** A running parley process. */
export interface ParleyProcess {
  child: ChildProcessWithoutNullStreams;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Its log lines that parse as JSON. */
  logLines(): Record<string, unknown>[];
  /** Resolves with the exit code once it exited. */
  exited(): Promise<number | null>;
  /** SIGKILLs it (if still running) and removes its working folder. */
  destroy(): void;
}

/**
 * Starts parley in an empty folder (so no developer .env is read) with PATH and `env` only; `files` (such as a
 * `.env`) are written into the folder first.
 */
export function startParleyProcess(
  env: Record<string, string>,
  files: Record<string, string> = {},
): ParleyProcess {
  const directory = mkdtempSync(join(tmpdir(), "parley-process-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(directory, name), content);
  const child = spawn(process.execPath, [MAIN], {
    cwd: directory,
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr.on("data", (chunk) => {
    output += chunk;
  });
  const exit = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
  return {
    child,
    output: () => output,
    logLines: () =>
      output.split("\n").flatMap((line) => {
        if (!line.startsWith("{")) return [];
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
    exited: () => exit,
    destroy() {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
