// `npm start` as an admin runs it: one process, every platform on one engine, health and metrics, a clean shutdown.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseExposition, samplesOf } from "../ops/exposition.ts";
import { exitCode, httpGet, logRecords, startMain as startMainProcess, until } from "../ops/main-process.ts";
import { type FakeAimlApi, startFakeAimlApi } from "../support/fake-aimlapi.ts";
import { type FakeDiscord, startFakeDiscord } from "../support/fake-discord.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";
import { eventEnvelope } from "../support/fake-slack-delivery.ts";
import { mentionOfBot, messageEvent } from "../support/fake-slack-harness.ts";
import { freePort } from "../support/redis-server.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const startMain = (env: Record<string, string>) => startMainProcess(env, cleanups);

/** The fields every platform's "turn finished" line carries. */
const TURN_FINISHED_FIELDS = [
  "requestId",
  "platform",
  "conversation",
  "command",
  "model",
  "outcome",
  "messages",
  "firstTokenMs",
  "providerFirstTokenMs",
  "ms",
  "promptTokens",
  "completionTokens",
];

describe("npm start", () => {
  it("without platform credentials, exits and names the variables to set", async () => {
    const { child, output } = startMain({ AIML_API_KEY: "test-key" });
    expect(await exitCode(child)).toBe(1);
    expect(output()).toContain("DISCORD_TOKEN or SLACK_BOT_TOKEN: no chat platform is configured.");
    expect(output()).toContain("SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)");
    expect(output()).toContain("npm run chat");
  });

  it("runs Discord and Slack together on one engine, answers on both, and stops cleanly on SIGTERM", async () => {
    const provider: FakeAimlApi = await startFakeAimlApi();
    const discord: FakeDiscord = await startFakeDiscord();
    const slack: FakeSlack = await startFakeSlack();
    cleanups.push(
      () => provider.close(),
      () => discord.close(),
      () => slack.close(),
    );
    const store = mkdtempSync(join(tmpdir(), "parley-main-store-"));
    cleanups.push(() => rmSync(store, { recursive: true, force: true }));
    const metricsPort = await freePort();

    const { child, output } = startMain({
      AIML_API_KEY: "test-key-123456",
      AIML_BASE_URL: provider.url,
      STORE_URL: `sqlite://${join(store, "parley.sqlite")}`,
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: "xoxb-main-test",
      SLACK_APP_TOKEN: "xapp-main-test",
      SLACK_API_URL: slack.apiUrl,
      METRICS_PORT: String(metricsPort),
    });
    await until("parley is running", () => output().includes('"adapters":["discord","slack"]'));

    discord.sendMessage({ content: `<@${discord.bot.id}> hello from discord` });
    await until("the Discord answer", () =>
      discord.requests.some((request) => JSON.stringify(request).includes("Echo: Alice: hello from discord")),
    );
    await slack.socket.connected();
    const ts = "1710000900.000100";
    await slack.socket.send(
      "events_api",
      eventEnvelope(
        messageEvent({ type: "app_mention", channel: "C90", ts, text: mentionOfBot("hello from slack") }),
      ),
    );
    await until("the Slack answer", () =>
      slack.thread("C90", ts).find((message) => message.text.includes("hello from slack")),
    );

    // One "turn finished" line per turn, with the same fields on both platforms.
    const finished = await until("both turns finished", () => {
      const lines = logRecords(output()).filter((record) => record.msg === "turn finished");
      return lines.length === 2 ? lines : undefined;
    });
    const byPlatform = Object.fromEntries(finished.map((line) => [line.platform, line]));
    for (const platform of ["discord", "slack"]) {
      const line = byPlatform[platform] as Record<string, unknown>;
      for (const field of TURN_FINISHED_FIELDS) expect(line, `${platform} ${field}`).toHaveProperty(field);
      expect(line).toMatchObject({ command: "mention", outcome: "done", messages: 1 });
    }
    const keysOf = (line: unknown) => Object.keys(line as object).sort();
    expect(keysOf(byPlatform.discord)).toEqual(keysOf(byPlatform.slack));
    expect(byPlatform.discord?.requestId).not.toBe(byPlatform.slack?.requestId);

    // Socket Mode and Discord: health and metrics on METRICS_PORT.
    const health = await httpGet(`http://127.0.0.1:${metricsPort}/healthz`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({
      status: "ok",
      store: { kind: "sqlite", ok: true },
      adapters: { discord: { connected: true }, slack: { connected: true } },
    });
    const metrics = await httpGet(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(metrics.status).toBe(200);
    const exposition = parseExposition(metrics.body);
    for (const platform of ["discord", "slack"]) {
      const counted = samplesOf(exposition, "parley_turns_total", {
        platform,
        command: "mention",
        model: String(byPlatform[platform]?.model),
        outcome: "done",
      });
      expect(counted.map((sample) => sample.value)).toEqual([1]);
    }
    expect(exposition.types.get("process_resident_memory_bytes")).toBe("gauge");
    for (const body of [health.body, metrics.body]) {
      for (const secret of ["test-key-123456", discord.token, "xoxb-main-test", "xapp-main-test"]) {
        expect(body).not.toContain(secret);
      }
    }

    child.kill("SIGTERM");
    expect(await exitCode(child)).toBe(0);
    expect(output()).not.toContain("test-key-123456");
    expect(output()).not.toContain(discord.token);
    expect(output()).not.toContain("xoxb-main-test");
    expect(discord.violations).toEqual([]);
  });

  it("stops the platform that started and exits when another cannot start", async () => {
    const provider = await startFakeAimlApi();
    const discord = await startFakeDiscord();
    const slack = await startFakeSlack();
    cleanups.push(
      () => provider.close(),
      () => discord.close(),
      () => slack.close(),
    );
    slack.failNext("auth.test", "invalid_auth");
    const { child, output } = startMain({
      AIML_API_KEY: "test-key-123456",
      AIML_BASE_URL: provider.url,
      STORE_URL: "sqlite://:memory:",
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: "xoxb-refused",
      SLACK_APP_TOKEN: "xapp-main-test",
      SLACK_API_URL: slack.apiUrl,
    });
    expect(await exitCode(child)).toBe(1);
    expect(output().trimEnd().split("\n").at(-1)).toBe(
      "Slack rejected SLACK_BOT_TOKEN (invalid_auth at auth.test): copy the Bot User OAuth Token (xoxb-…) from " +
        "OAuth & Permissions, and reinstall the app if it was revoked",
    );
    // Discord had started; it was stopped (the replies drained, the store closed) before the exit.
    expect(output()).toContain('"msg":"discord adapter ready"');
    expect(output()).toContain('"msg":"replies drained"');
    expect(output()).not.toContain("xoxb-refused");
  });
});
