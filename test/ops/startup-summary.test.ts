// `npm start` that succeeds says, in plain lines beside its JSON logs, what it is connected and listening to,
// with the Discord invite URL ready to copy.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PermissionsBitField } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeAimlApi } from "../support/fake-aimlapi.ts";
import { startFakeDiscord } from "../support/fake-discord.ts";
import { startFakeSlack } from "../support/fake-slack.ts";
import { freePort } from "../support/redis-server.ts";
import { exitCode, startMain, until } from "./main-process.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What the process printed that is not a JSON log line. */
const plainLines = (output: string): string[] =>
  output.split("\n").filter((line) => line !== "" && !line.startsWith("{"));

describe("a successful npm start", () => {
  it("names the Discord bot, its servers and shards, prints the invite URL, the Slack workspace, store and ports", async () => {
    const provider = await startFakeAimlApi();
    const discord = await startFakeDiscord();
    const slack = await startFakeSlack();
    const directory = mkdtempSync(join(tmpdir(), "parley-summary-"));
    cleanups.push(
      () => provider.close(),
      () => discord.close(),
      () => slack.close(),
      () => rmSync(directory, { recursive: true, force: true }),
    );
    const metricsPort = await freePort();
    const storeFile = join(directory, "parley.sqlite");
    const { child, output } = startMain(
      {
        AIML_API_KEY: "test-key-123456",
        AIML_BASE_URL: provider.url,
        STORE_URL: `sqlite://${storeFile}`,
        DISCORD_TOKEN: discord.token,
        DISCORD_API_URL: discord.apiUrl,
        SLACK_BOT_TOKEN: "xoxb-summary-test",
        SLACK_APP_TOKEN: "xapp-summary-test",
        SLACK_API_URL: slack.apiUrl,
        METRICS_PORT: String(metricsPort),
      },
      cleanups,
    );
    await until("the summary", () => output().includes("Health and metrics:"));
    const invite =
      `https://discord.com/oauth2/authorize?client_id=${discord.applicationId}` +
      "&scope=bot+applications.commands&permissions=309237713920";
    expect(plainLines(output())).toEqual([
      "parley is running.",
      "  Discord: connected as parley in 1 server (1 shard)",
      `  Discord invite URL: ${invite}`,
      "  Slack: connected to workspace Fake as @parley via Socket Mode",
      `  Store: SQLite file ${storeFile}`,
      `  Health and metrics: http://0.0.0.0:${metricsPort}/healthz and /metrics`,
    ]);
    // Exactly what parley does in a server, nothing more: no administrator, no embeds or files it never sends.
    expect(new PermissionsBitField(309237713920n).toArray()).toEqual([
      "ViewChannel",
      "SendMessages",
      "ReadMessageHistory",
      "CreatePublicThreads",
      "SendMessagesInThreads",
    ]);
    child.kill("SIGTERM");
    expect(await exitCode(child)).toBe(0);
  });
});
