// Runs a command under a pseudo-terminal (util-linux `script`), so it sees a real TTY: raw keys, line editing, size.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { screenLines } from "./terminal-screen.ts";

/** Keys as a terminal sends them. */
export const KEYS = {
  enter: "\r",
  left: "\x1b[D",
  up: "\x1b[A",
  ctrlC: "\x03",
  ctrlD: "\x04",
  /** Text pasted into a terminal in bracketed paste mode. */
  paste: (text: string) => `\x1b[200~${text}\x1b[201~`,
} as const;

/** A program running on a pseudo-terminal. */
export interface PtyProcess {
  child: ChildProcessWithoutNullStreams;
  /** Everything the program printed, escape sequences included. */
  output(): string;
  /** What a user sees: the printed text replayed on a terminal of the process's width, lines joined. */
  screen(): string;
  /** Types keys (a string is sent as one read, as a fast typist or a paste would arrive). */
  type(keys: string): void;
  /**
   * Waits until the screen shows `expected` past the first `after` characters of `screen()`; resolves with the
   * screen's length then. Fails with what the screen shows after `timeoutMs`.
   */
  waitFor(expected: string | RegExp, options?: { after?: number; timeoutMs?: number }): Promise<number>;
  /** Resolves with the exit code. */
  exited(): Promise<number | null>;
  /** SIGKILLs the program if it still runs. */
  kill(): void;
}

/** Starts `command` (with arguments) in `cwd` on a terminal of `columns`×`rows`, with only `env` and PATH. */
export function startPtyProcess(options: {
  command: readonly string[];
  cwd: string;
  env: Record<string, string>;
  columns?: number;
  rows?: number;
}): PtyProcess {
  const columns = options.columns ?? 80;
  const rows = options.rows ?? 30;
  const quoted = options.command.map((part) => `'${part.replaceAll("'", "'\\''")}'`).join(" ");
  // `script` gives the program a pty; stty gives the pty a size (with no terminal above it has none).
  const child = spawn(
    "script",
    ["-qfec", `stty cols ${columns} rows ${rows} && exec ${quoted}`, "/dev/null"],
    {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? "", TERM: "xterm-256color", ...options.env },
    },
  );
  let output = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    output += chunk;
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    output += chunk;
  });
  const exit = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => resolve(code));
  });
  const screen = () => screenLines(output, columns).join("\n");
  return {
    child,
    output: () => output,
    screen,
    type(keys) {
      child.stdin.write(keys);
    },
    async waitFor(expected, { after = 0, timeoutMs = 15_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const shown = screen();
        const rest = shown.slice(after);
        if (typeof expected === "string" ? rest.includes(expected) : expected.test(rest)) return shown.length;
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`waited for ${String(expected)}; the screen shows:\n${shown}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    exited: () => exit,
    kill() {
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}
