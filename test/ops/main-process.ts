// Runs `node adapters/main.ts` as an admin would, and reads what it prints and logs.
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { startParleyProcess } from "../support/parley-process.ts";

/** Starts `node adapters/main.ts` in an empty folder (no developer .env, unless in `files`) with only `env`. */
export function startMain(
  env: Record<string, string>,
  cleanups: (() => Promise<void> | void)[],
  files: Record<string, string> = {},
): { child: ChildProcessWithoutNullStreams; output: () => string } {
  const started = startParleyProcess(env, files);
  cleanups.push(() => started.destroy());
  return { child: started.child, output: started.output };
}

/** Resolves with the process's exit code once it exited. */
export const exitCode = (child: ChildProcessWithoutNullStreams) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on("exit", (code) => resolve(code));
  });

/** The JSON log lines the process wrote so far. */
export function logRecords(output: string): Record<string, unknown>[] {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** GETs a URL: its status and body. */
export async function httpGet(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
}

/** Polls `probe` until it returns a value, or fails naming `what`. */
export async function until<T>(
  what: string,
  probe: () => T | undefined | false,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
