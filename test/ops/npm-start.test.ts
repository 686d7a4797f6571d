// `npm start` as an operator runs it: health and metrics on Slack's HTTP port, and a SIGTERM that drains replies.
import { afterEach, describe, expect, it } from "vitest";
import { startFakeAimlApi } from "../support/fake-aimlapi.ts";
import { startFakeDiscord } from "../support/fake-discord.ts";
import { startFakeSlack } from "../support/fake-slack.ts";
import { deliverEvent, eventEnvelope } from "../support/fake-slack-delivery.ts";
import { mentionOfBot, messageEvent } from "../support/fake-slack-harness.ts";
import { freePort } from "../support/redis-server.ts";
import { parseExposition, samplesOf } from "./exposition.ts";
import { exitCode, httpGet, logRecords, startMain as startMainProcess, until } from "./main-process.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const startMain = (env: Record<string, string>) => startMainProcess(env, cleanups);

describe("npm start", () => {
  it("in Slack's HTTP mode, serves /healthz and /metrics on Slack's port, and on METRICS_PORT too", async () => {
    const provider = await startFakeAimlApi();
    const slack = await startFakeSlack();
    cleanups.push(
      () => provider.close(),
      () => slack.close(),
    );
    const port = await freePort();
    const metricsPort = await freePort();
    const { child, output } = startMain({
      METRICS_PORT: String(metricsPort),
      AIML_API_KEY: "test-key-123456",
      AIML_BASE_URL: provider.url,
      STORE_URL: "sqlite://:memory:",
      SLACK_BOT_TOKEN: "xoxb-http-test",
      SLACK_SIGNING_SECRET: "signing-secret-http-test",
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
    });
    await until("parley is running", () => output().includes("Health and metrics:"));
    // Beside the JSON logs, a summary says where Slack must send its requests and where health is served.
    expect(
      output()
        .split("\n")
        .filter((line) => line !== "" && !line.startsWith("{")),
    ).toEqual([
      "parley is running.",
      `  Slack: connected to workspace Fake as @parley, receiving events at http://0.0.0.0:${port}/slack/events`,
      "  Store: SQLite in memory (nothing is kept after a restart)",
      `  Health and metrics: http://0.0.0.0:${metricsPort}/healthz and /metrics`,
      `  Health and metrics: http://0.0.0.0:${port}/healthz and /metrics`,
    ]);
    const health = await httpGet(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({
      status: "ok",
      store: { kind: "sqlite", ok: true },
      adapters: { slack: { connected: true } },
    });
    // A scraper configured for METRICS_PORT (as the Docker image sets it) finds the same answers there.
    const healthOnMetricsPort = await httpGet(`http://127.0.0.1:${metricsPort}/healthz`);
    expect(healthOnMetricsPort.status).toBe(200);
    expect(JSON.parse(healthOnMetricsPort.body)).toEqual(JSON.parse(health.body));

    const ts = "1710000950.000100";
    const bot = { url: `http://127.0.0.1:${port}/slack/events`, signingSecret: "signing-secret-http-test" };
    const delivered = await deliverEvent(
      bot,
      eventEnvelope(
        messageEvent({ type: "app_mention", channel: "C91", ts, text: mentionOfBot("over http") }),
      ),
    );
    expect(delivered.status).toBe(200);
    await until("the Slack answer", () =>
      slack.thread("C91", ts).find((message) => message.text.includes("over http")),
    );
    await until("the turn finished", () =>
      logRecords(output()).find((record) => record.msg === "turn finished" && record.platform === "slack"),
    );
    const metrics = await httpGet(`http://127.0.0.1:${port}/metrics`);
    expect(metrics.status).toBe(200);
    const counted = samplesOf(parseExposition(metrics.body), "parley_turns_total", {
      platform: "slack",
      command: "mention",
      outcome: "done",
    });
    expect(counted.map((sample) => sample.value)).toEqual([1]);
    for (const secret of ["test-key-123456", "xoxb-http-test", "signing-secret-http-test"]) {
      expect(health.body + metrics.body).not.toContain(secret);
    }
    child.kill("SIGTERM");
    expect(await exitCode(child)).toBe(0);
  });

  it("on SIGTERM, finishes the answer that ends within the grace time, marks the slower one interrupted, exits 0", async () => {
    const provider = await startFakeAimlApi();
    const discord = await startFakeDiscord();
    cleanups.push(
      () => provider.close(),
      () => discord.close(),
    );
    const { child, output } = startMain({
      AIML_API_KEY: "test-key-123456",
      AIML_BASE_URL: provider.url,
      STORE_URL: "sqlite://:memory:",
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
    });
    await until("parley is running", () => output().includes('"adapters":["discord"]'));
    const quickText = "A short answer that streams for about two seconds and then ends.";
    const slowText = Array.from({ length: 80 }, (_, index) => `slow${index}`).join(" ");
    provider.enqueue(
      { text: quickText, chunkSize: 4, chunkDelayMs: 120 },
      { text: slowText, chunkSize: 5, chunkDelayMs: 400 },
    );
    const quick = discord.sendMessage({ content: `<@${discord.bot.id}> quick one` });
    await until("the quick answer's first text", () => discord.messagesIn(quick.id)[0]);
    const slow = discord.sendMessage({ content: `<@${discord.bot.id}> slow one` });
    await until("the slow answer's first text", () => discord.messagesIn(slow.id)[0]);

    child.kill("SIGTERM");
    await until("the drain started", () => output().includes('"msg":"shutting down"'));
    // A command arriving while replies drain is told why it is not answered; a message is left alone.
    const lateCommand = discord.sendCommand("ask", { prompt: "are you there?" });
    const lateMessage = discord.sendMessage({ content: `<@${discord.bot.id}> too late` });
    await until("the late command's answer", () => lateCommand.callbackBody);
    expect(lateCommand.callbackBody).toMatchObject({
      type: 4,
      data: { content: "parley is restarting; ask again in a moment.", flags: 64 },
    });
    expect(await exitCode(child)).toBe(0);
    expect(discord.messagesIn(lateMessage.id)).toEqual([]);
    expect(provider.chatRequests()).toHaveLength(2);
    expect(discord.messagesIn(quick.id).map((message) => message.content)).toEqual([
      `${quickText}\n\n*Model: gpt-4.1-mini-2025-04-14*`,
    ]);
    const slowShown = discord
      .messagesIn(slow.id)
      .map((message) => message.content)
      .join("\n");
    expect(slowShown.startsWith("slow0 slow1")).toBe(true);
    expect(
      slowShown.endsWith(
        "\n\n⚠️ *The answer was cut off: parley restarted before this answer was finished.*\n*Model: gpt-4.1-mini-2025-04-14*",
      ),
    ).toBe(true);
    expect(slowShown).not.toContain("slow79");
    const records = logRecords(output());
    expect(records.find((record) => record.msg === "replies drained")).toMatchObject({
      finished: 1,
      interrupted: 1,
      abandoned: 0,
    });
    const finished = records.filter((record) => record.msg === "turn finished");
    expect(finished.map((record) => [record.outcome, record.errorCode ?? null]).sort()).toEqual([
      ["done", null],
      ["error", "interrupted"],
    ]);
    expect(discord.violations).toEqual([]);
  }, 40_000);
});
