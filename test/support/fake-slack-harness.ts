// Runs the real Slack adapter (Bolt) and the real core against the fake Slack and the fake AI/ML API.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type RunningSlackAdapter,
  SLACK_EVENTS_PATH,
  startSlackAdapter,
} from "../../adapters/slack/start.ts";
import { loadConfig } from "../../src/config.ts";
import { silentLogger } from "../../src/logger.ts";
import { createParley, type Parley } from "../../src/parley.ts";
import { type FakeAimlApi, startFakeAimlApi } from "./fake-aimlapi.ts";
import { FAKE_BOT_USER_ID, type FakeSlack, startFakeSlack } from "./fake-slack.ts";
import type { BotEndpoint } from "./fake-slack-delivery.ts";
import { type FakeSlackRate, TIER_3_RATE } from "./fake-slack-limits.ts";

export const TEST_SIGNING_SECRET = "test-secret";
export const TEST_BOT_TOKEN = "xoxb-test";
export const TEST_APP_TOKEN = "xapp-test";
/** Edits spaced this far apart keep the suite fast; tests of the pacing itself ask for the real interval. */
export const FAST_EDIT_INTERVAL_MS = 300;

/** The fakes, the core and the adapter of one test file. */
export interface SlackHarness {
  slack: FakeSlack;
  provider: FakeAimlApi;
  parley: Parley;
  adapter: RunningSlackAdapter;
  /** HTTP mode: where events and commands are delivered. */
  bot: BotEndpoint;
  close(): Promise<void>;
}

/**
 * Starts everything. `socketMode` sets SLACK_APP_TOKEN so the adapter connects over Socket Mode instead;
 * `realPacing` keeps Slack's real edit interval instead of FAST_EDIT_INTERVAL_MS; `updateRate` is the
 * workspace's chat.update budget, the same for the fake and for parley (default Tier 3, 50 a minute);
 * `nativeStreaming` lets parley stream answers with chat.startStream (off by default).
 */
export async function startSlackHarness(
  options: {
    socketMode?: boolean;
    realPacing?: boolean;
    updateRate?: FakeSlackRate;
    /** Extra variables (limits, allow-lists…). */
    env?: Record<string, string>;
    /** Users the fake's users.info calls workspace admins. */
    workspaceAdmins?: string[];
    /** Streams answers natively (chat.startStream) where parley would; default off, so answers are posted + updated. */
    nativeStreaming?: boolean;
  } = {},
): Promise<SlackHarness> {
  const updateRate = options.updateRate ?? TIER_3_RATE;
  const slack = await startFakeSlack({
    updateRate,
    ...(options.workspaceAdmins ? { workspaceAdmins: options.workspaceAdmins } : {}),
  });
  const provider = await startFakeAimlApi();
  const directory = mkdtempSync(join(tmpdir(), "parley-slack-"));
  const config = loadConfig({
    AIML_API_KEY: "test-key",
    AIML_BASE_URL: provider.url,
    STORE_URL: `sqlite://${join(directory, "parley.sqlite")}`,
    SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    ...(options.socketMode ? { SLACK_APP_TOKEN: TEST_APP_TOKEN } : {}),
    PORT: "3000",
    LOG_LEVEL: "silent",
    ...options.env,
  });
  const logger = silentLogger();
  const parley = await createParley(config, { logger, maxRetries: 0 });
  const adapter = await startSlackAdapter({
    config,
    engine: parley.engine,
    controls: parley.controls,
    logger,
    port: 0,
    host: "127.0.0.1",
    ...(options.realPacing ? {} : { editIntervalMs: FAST_EDIT_INTERVAL_MS }),
    editBudget: updateRate,
    nativeStreaming: options.nativeStreaming ?? false,
  });
  return {
    slack,
    provider,
    parley,
    adapter,
    bot: {
      url: `http://127.0.0.1:${adapter.port ?? 0}${SLACK_EVENTS_PATH}`,
      signingSecret: TEST_SIGNING_SECRET,
    },
    async close() {
      await adapter.stop();
      // Socket Mode: stop() resolves once the client closed its socket; the fake may go now.
      await parley.close();
      await provider.close();
      await slack.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A message event as Slack sends it for a person's message. */
export function messageEvent(input: {
  type?: "message" | "app_mention";
  channel: string;
  ts: string;
  text: string;
  user?: string;
  threadTs?: string;
  channelType?: string;
  extra?: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    type: input.type ?? "message",
    channel: input.channel,
    user: input.user ?? "U0ANN",
    text: input.text,
    ts: input.ts,
    event_ts: input.ts,
    ...(input.threadTs === undefined ? {} : { thread_ts: input.threadTs }),
    ...(input.type === "app_mention" ? {} : { channel_type: input.channelType ?? "channel" }),
    ...input.extra,
  };
}

/** `<@bot> text`: how a mention of the bot reads in Slack's text. */
export const mentionOfBot = (text: string): string => `<@${FAKE_BOT_USER_ID}> ${text}`;

/**
 * The last line of an answer from the default chat model, as Slack shows it: "*Model: …*" in mrkdwn italics, which
 * the Markdown converter wraps in zero-width spaces so it stays italic next to any character.
 */
export const SLACK_CHAT_MODEL_LINE = "\u200b_Model: gpt-4.1-mini-2025-04-14_\u200b";
