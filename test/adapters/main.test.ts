// `npm start` as an admin runs it: one process, every configured platform on one engine, a clean shutdown.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeAimlApi, startFakeAimlApi } from "../support/fake-aimlapi.ts";
import { type FakeDiscord, startFakeDiscord } from "../support/fake-discord.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";
import { eventEnvelope } from "../support/fake-slack-delivery.ts";
import { mentionOfBot, messageEvent } from "../support/fake-slack-harness.ts";

const MAIN = new URL("../../adapters/main.ts", import.meta.url).pathname;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Starts `node adapters/main.ts` in an empty folder (no developer .env) with only the given variables. */
function startMain(env: Record<string, string>): {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
} {
  const directory = mkdtempSync(join(tmpdir(), "parley-main-"));
  const child = spawn(process.execPath, [MAIN], {
    cwd: directory,
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr.on("data", (chunk) => {
    output += chunk;
  });
  cleanups.push(() => {
    child.kill("SIGKILL");
    rmSync(directory, { recursive: true, force: true });
  });
  return { child, output: () => output };
}

const exitCode = (child: ChildProcessWithoutNullStreams) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on("exit", (code) => resolve(code));
  });

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("npm start", () => {
  it("without platform credentials, exits and names the variables to set", async () => {
    const { child, output } = startMain({ AIML_API_KEY: "test-key" });
    expect(await exitCode(child)).toBe(1);
    expect(output()).toContain("DISCORD_TOKEN");
    expect(output()).toContain("SLACK_BOT_TOKEN");
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

    const { child, output } = startMain({
      AIML_API_KEY: "test-key-123456",
      AIML_BASE_URL: provider.url,
      STORE_URL: `sqlite://${join(store, "parley.sqlite")}`,
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: "xoxb-main-test",
      SLACK_APP_TOKEN: "xapp-main-test",
      SLACK_API_URL: slack.apiUrl,
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
    expect(output()).toContain("SLACK_BOT_TOKEN: Slack refused the token (invalid_auth)");
    expect(output()).not.toContain("xoxb-refused");
  });
});
