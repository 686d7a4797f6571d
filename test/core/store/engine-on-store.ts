// Builds the real engine on a store the test opened itself, against the fake AI/ML API, and records its logs.
import { Writable } from "node:stream";
import OpenAI from "openai";
import { loadConfig } from "../../../src/config.ts";
import { createEngine } from "../../../src/engine/create-engine.ts";
import { createLogger, type Logger } from "../../../src/logger.ts";
import { buildCatalog } from "../../../src/models/catalog.ts";
import type { Stores } from "../../../src/store/open-stores.ts";
import type { ConversationKey, Engine } from "../../../src/types.ts";
import { collect, TEST_KEY, type TurnOutcome } from "../../support/engine-harness.ts";
import type { FakeAimlApi } from "../../support/fake-aimlapi.ts";

/** A logger whose JSON lines the test can read back. */
export interface RecordedLogger {
  logger: Logger;
  /** Every line logged so far, parsed. */
  lines(): Record<string, unknown>[];
  /** The lines whose message is `message`. */
  withMessage(message: string): Record<string, unknown>[];
}

/** Records every log line at debug level and above. */
export function recordLogs(): RecordedLogger {
  const written: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      written.push(String(chunk));
      callback();
    },
  });
  const logger = createLogger("debug", destination);
  const lines = () =>
    written
      .join("")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, withMessage: (message) => lines().filter((line) => line.msg === message) };
}

/** The real engine on `stores`, answering through `fake`. */
export function engineOn(
  stores: Stores,
  fake: FakeAimlApi,
  options: { logger?: Logger; turnDeadlineMs?: number; lockLeaseMs?: number } = {},
): Engine {
  const config = loadConfig({
    AIML_API_KEY: "test-key-123456",
    AIML_BASE_URL: fake.url,
    LOG_LEVEL: "silent",
  });
  return createEngine({
    config,
    stores,
    client: new OpenAI({ apiKey: config.aimlApiKey, baseURL: fake.url, maxRetries: 0 }),
    catalog: buildCatalog(undefined, config.models.search),
    logger: options.logger ?? createLogger("silent"),
    ...(options.turnDeadlineMs ? { turnDeadlineMs: options.turnDeadlineMs } : {}),
    ...(options.lockLeaseMs ? { lockLeaseMs: options.lockLeaseMs } : {}),
  });
}

/** Runs one follow-up from Ada in `key` to its end. */
export function ask(engine: Engine, text: string, key: ConversationKey = TEST_KEY): Promise<TurnOutcome> {
  return collect(
    engine.reply({ key, author: { id: "U1", displayName: "Ada", isBot: false }, kind: "follow-up", text }),
  );
}

/** A conversation key no other test uses. */
export function freshKey(label: string): ConversationKey {
  return { ...TEST_KEY, thread: `${label}-${Date.now()}-${Math.random().toString(36).slice(2)}` };
}
