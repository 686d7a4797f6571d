// Starts the whole bot for Discord end-to-end tests: fake Discord + fake AI/ML API + real core + real discord.js.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import {
  type DiscordAdapter,
  type DiscordAdapterOptions,
  startDiscordAdapter,
} from "../../../adapters/discord/start.ts";
import { loadConfig } from "../../../src/config.ts";
import { createLogger } from "../../../src/logger.ts";
import { createParley, type Parley } from "../../../src/parley.ts";
import type { RenderClock } from "../../../src/render/surface.ts";
import { type FakeAimlApi, startFakeAimlApi } from "../../support/fake-aimlapi.ts";
import { type FakeDiscord, type FakeDiscordOptions, startFakeDiscord } from "../../support/fake-discord.ts";

/** A running bot wired to both fakes. */
export interface DiscordHarness {
  discord: FakeDiscord;
  ai: FakeAimlApi;
  parley: Parley;
  adapter: DiscordAdapter;
  /** JSON log lines the bot wrote (level debug and up). */
  logLines: string[];
  /** Moves the adapter's clock forward (for the age of interactions); 0 restores real time. */
  skewClock(skewMs: number): void;
  close(): Promise<void>;
}

/** Starts the fakes, the core on a fresh SQLite file and the Discord adapter; `env` overrides configuration. */
export async function startDiscordHarness(
  options: {
    /** Extra variables; a function may read the fake Discord's ids (its guild, say). */
    env?: Record<string, string> | ((discord: FakeDiscord) => Record<string, string>);
    discord?: FakeDiscordOptions;
    adapter?: Partial<
      Pick<DiscordAdapterOptions, "interactionTokenLifetimeMs" | "typingIntervalMs" | "reporter">
    >;
  } = {},
): Promise<DiscordHarness> {
  const ai = await startFakeAimlApi();
  const discord = await startFakeDiscord(options.discord);
  const directory = mkdtempSync(join(tmpdir(), "parley-discord-"));
  const config = loadConfig({
    AIML_API_KEY: "test-key",
    AIML_BASE_URL: ai.url,
    STORE_URL: `sqlite://${join(directory, "parley.sqlite")}`,
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
    LOG_LEVEL: "silent",
    ...(typeof options.env === "function" ? options.env(discord) : options.env),
  });
  const logLines: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  const logger = createLogger("debug", logStream);
  let skewMs = 0;
  const clock: RenderClock = {
    now: () => Date.now() + skewMs,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  const parley = await createParley(config, { logger, maxRetries: 0 });
  const adapter = await startDiscordAdapter({
    config,
    engine: parley.engine,
    controls: parley.controls,
    logger,
    clock,
    ...options.adapter,
  });
  return {
    discord,
    ai,
    parley,
    adapter,
    logLines,
    skewClock(ms) {
      skewMs = ms;
    },
    async close() {
      await adapter.stop();
      await parley.close();
      await discord.close();
      await ai.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** The provider request messages as "role: text" lines, for asserting what history the model saw. */
export function transcript(body: { messages: { role: string; content?: unknown }[] }): string[] {
  return body.messages.map((message) => {
    const content = message.content;
    const text = typeof content === "string" ? content : JSON.stringify(content);
    return `${message.role}: ${text}`;
  });
}
