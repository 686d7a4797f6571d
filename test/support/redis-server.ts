// Starts a real redis-server of the test's own on a free loopback port, so a test can kill and restart it.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A redis-server this test owns. */
export interface TestRedis {
  url: string;
  port: number;
  /** Kills the server at once (SIGKILL), as a crash or a lost host would. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is saved to disk). */
  restart(): Promise<void>;
  /** Stops it for good and removes its folder. */
  close(): Promise<void>;
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** Resolves once something accepts connections on the port. */
async function untilListening(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const connected = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
      socket.connect(port, "127.0.0.1");
    });
    if (connected) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts `redis-server` (from the PATH) on a free port, keeping nothing on disk; `requirePassword` sets one. */
export async function startTestRedis(options: { requirePassword?: string } = {}): Promise<TestRedis> {
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), "parley-redis-"));
  let child: ChildProcess | undefined;
  const start = async () => {
    const started = spawn(
      "redis-server",
      [
        ...[
          "--port",
          String(port),
          "--bind",
          "127.0.0.1",
          "--save",
          "",
          "--appendonly",
          "no",
          "--dir",
          directory,
        ],
        ...(options.requirePassword ? ["--requirepass", options.requirePassword] : []),
      ],
      { stdio: "ignore" },
    );
    child = started;
    await new Promise<void>((resolve, reject) => {
      started.once("spawn", () => resolve());
      started.once("error", (error) =>
        reject(
          new Error(
            `could not run redis-server (install it: apt-get install redis-server): ${error.message}`,
          ),
        ),
      );
    });
    await untilListening(port);
  };
  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGKILL");
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    restart: start,
    async close() {
      await kill();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
