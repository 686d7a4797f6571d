// Starts the real core against the fake AI/ML API and a temporary SQLite file, and collects what a turn yields.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config.ts";
import { type Logger, silentLogger } from "../../src/logger.ts";
import { createParley, type Parley } from "../../src/parley.ts";
import type { ConversationKey, ReplyEvent, ReplyResult, Turn, TurnKind } from "../../src/types.ts";
import { type FakeAimlApi, type FakeAimlApiOptions, startFakeAimlApi } from "./fake-aimlapi.ts";

/** A core wired to a fake provider. */
export interface EngineHarness {
  parley: Parley;
  fake: FakeAimlApi;
  storeFile: string;
  /** Runs one turn to its end. */
  run(turn: Partial<Turn> & { text?: string; kind?: TurnKind }): Promise<TurnOutcome>;
  /** Starts a second core on the same store (a restart). */
  restart(): Promise<Parley>;
  close(): Promise<void>;
}

/** Everything a turn yielded, gathered. */
export interface TurnOutcome {
  events: ReplyEvent[];
  text: string;
  result?: ReplyResult;
  error?: Extract<ReplyEvent, { type: "error" }>;
}

/** The conversation tests use unless they pass another. */
export const TEST_KEY: ConversationKey = { platform: "test", workspace: "W1", channel: "C1", thread: "T1" };

/** Collects a reply stream. */
export async function collect(events: AsyncIterable<ReplyEvent>): Promise<TurnOutcome> {
  const outcome: TurnOutcome = { events: [], text: "" };
  for await (const event of events) {
    outcome.events.push(event);
    if (event.type === "text") outcome.text += event.delta;
    if (event.type === "done") outcome.result = event.result;
    if (event.type === "error") outcome.error = event;
  }
  return outcome;
}

/** Starts the fake provider and a core on a fresh SQLite file; `env` overrides configuration. */
export async function startEngineHarness(
  options: {
    env?: Record<string, string>;
    fake?: FakeAimlApiOptions;
    maxRetries?: number;
    idleTimeoutMs?: number;
    /** The core's clock (usage periods, limits, retention). */
    now?: () => Date;
    /** Where the core logs (default nowhere). */
    logger?: Logger;
  } = {},
): Promise<EngineHarness> {
  const fake = await startFakeAimlApi(options.fake);
  const directory = mkdtempSync(join(tmpdir(), "parley-test-"));
  const storeFile = join(directory, "parley.sqlite");
  const config = loadConfig({
    AIML_API_KEY: "test-key-123456",
    AIML_BASE_URL: fake.url,
    STORE_URL: `sqlite://${storeFile}`,
    LOG_LEVEL: "silent",
    ...options.env,
  });
  const start = () =>
    createParley(config, {
      logger: options.logger ?? silentLogger(),
      maxRetries: options.maxRetries,
      idleTimeoutMs: options.idleTimeoutMs,
      ...(options.now ? { now: options.now } : {}),
    });
  const parley = await start();
  const extra: Parley[] = [];
  return {
    parley,
    fake,
    storeFile,
    run: (turn) =>
      collect(
        parley.engine.reply({
          key: TEST_KEY,
          author: { id: "U1", displayName: "Ada", isBot: false },
          kind: "ask",
          text: "",
          ...turn,
        }),
      ),
    async restart() {
      const next = await start();
      extra.push(next);
      return next;
    },
    async close() {
      await Promise.all([parley.close(), ...extra.map((other) => other.close())]);
      await fake.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
