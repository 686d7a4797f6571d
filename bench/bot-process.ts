// Starts the bot under test (parley or a relay) as a child process, so its CPU time and memory are its own.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The last this many characters of the bot's output are kept, to show when something fails. */
const OUTPUT_KEPT_CHARS = 20_000;

/** A running bot. */
export interface BotProcess {
  pid: number;
  /** A fresh empty folder the bot runs in (and may keep its SQLite file in). */
  directory: string;
  /** The tail of what it wrote to stdout and stderr. */
  output(): string;
  /** Lines that report a failure: pino error/fatal lines, or a relay's "relay failure" lines. */
  failureLines(): string[];
  /** Resolves once it printed its "is running" line; rejects if it exits first or `timeoutMs` passes. */
  ready(timeoutMs: number): Promise<void>;
  /** Kills it (SIGKILL: measuring is over) and removes its folder. */
  stop(): Promise<void>;
}

/** Bots still running: killed when the bench exits, whatever way it exits (a timeout, a crash). */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * With BENCH_CPU_PROF=<folder> every bot writes a CPU profile there (`node --cpu-prof`), for a profiler or Chrome's
 * DevTools; it is then stopped with SIGTERM, which parley answers by exiting cleanly (the profile is written then).
 */
const profileFolder = process.env.BENCH_CPU_PROF;

/** The V8 flags `npm start` runs parley with (package.json), so the bench measures parley as it is started. */
export function startScriptFlags(): string[] {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    scripts: { start: string };
  };
  return manifest.scripts.start.split(/\s+/).filter((part) => /^--max-[a-z-]+=\d+$/.test(part));
}

/** Starts `node <entry>` in an empty folder with PATH and `env` only (no developer .env is read). */
export function startBotProcess(
  entry: string,
  env: (directory: string) => Record<string, string>,
  /** Node's own flags before the entry (parley's are those `npm start` gives it). */
  nodeFlags: readonly string[] = [],
): BotProcess {
  const directory = mkdtempSync(join(tmpdir(), "parley-bench-"));
  const nodeOptions = [
    ...nodeFlags,
    ...(profileFolder ? ["--cpu-prof", `--cpu-prof-dir=${profileFolder}`] : []),
  ];
  const child: ChildProcess = spawn(process.execPath, [...nodeOptions, entry], {
    cwd: directory,
    env: { PATH: process.env.PATH ?? "", ...env(directory) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  let output = "";
  const failures: string[] = [];
  let partialLine = "";
  const collect = (chunk: Buffer): void => {
    const text = chunk.toString("utf8");
    output = (output + text).slice(-OUTPUT_KEPT_CHARS);
    const lines = (partialLine + text).split("\n");
    partialLine = lines.pop() ?? "";
    for (const line of lines) {
      if (/"level":(50|60)\b/.test(line) || line.startsWith("relay failure")) failures.push(line);
    }
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  return {
    pid: child.pid ?? -1,
    directory,
    output: () => output,
    failureLines: () => [...failures],
    ready: (timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        const deadline = Date.now() + timeoutMs;
        const timer = setInterval(() => {
          if (/(parley|relay) is running/.test(output)) finish();
          else if (Date.now() > deadline) finish(new Error(`${entry} did not start within ${timeoutMs} ms`));
          else if (child.exitCode !== null) finish(new Error(`${entry} exited with ${child.exitCode}`));
        }, 20);
        const finish = (error?: Error): void => {
          clearInterval(timer);
          if (error) reject(new Error(`${error.message}; its output ends:\n${output.slice(-2000)}`));
          else resolve();
        };
      }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        if (profileFolder) {
          child.kill("SIGTERM");
          const killed = setTimeout(() => child.kill("SIGKILL"), 15_000);
          await exited;
          clearTimeout(killed);
        } else child.kill("SIGKILL");
      }
      await exited;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
