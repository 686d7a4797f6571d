// `npm start` when it cannot start: one sentence naming the setting to fix and what was tried, exit code 1, no
// stack trace, and no secret or URL password anywhere in what it printed.
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeAimlApi, startFakeAimlApi } from "../support/fake-aimlapi.ts";
import { startFakeDiscord } from "../support/fake-discord.ts";
import { startFakeSlack } from "../support/fake-slack.ts";
import { freePort } from "../support/redis-server.ts";
import { exitCode, startMain } from "./main-process.ts";

const API_KEY = "aiml-startup-secret-0123456789";
const DISCORD_TOKEN = "discord-startup-secret.token-42";
const SLACK_BOT_TOKEN = "xoxb-startup-secret-bot-1234";
const SLACK_APP_TOKEN = "xapp-startup-secret-app-5678";
const SLACK_SIGNING_SECRET = "slack-signing-startup-secret";
const TOKEN_HINT = "check the bot token in the Developer Portal (your application → Bot → Reset Token)";

let provider: FakeAimlApi;
beforeAll(async () => {
  provider = await startFakeAimlApi();
});
afterAll(async () => {
  await provider.close();
});
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The secret values in an environment: tokens, keys, secrets, and the password of every URL. */
function secretsOf(env: Record<string, string>): string[] {
  return Object.entries(env).flatMap(([name, value]) => {
    const secrets = /(TOKEN|KEY|SECRET)$/.test(name) && value.trim() ? [value] : [];
    try {
      const password = new URL(value).password;
      if (password) secrets.push(password, decodeURIComponent(password));
    } catch {
      // Not a URL.
    }
    return secrets;
  });
}

/**
 * Runs `npm start` with `env` (and `files` in its folder) until it exits; checks the exit code, and that no secret
 * and no stack trace was printed. Resolves with everything it printed.
 */
async function failedStartOutput(
  env: Record<string, string>,
  files: Record<string, string> = {},
): Promise<string> {
  const { child, output } = startMain(env, cleanups, files);
  expect(await exitCode(child)).toBe(1);
  const printed = output();
  for (const secret of secretsOf(env)) expect(printed).not.toContain(secret);
  expect(printed).not.toMatch(/^\s+at /m);
  return printed;
}

/** As failedStartOutput, resolving with the last line printed: the sentence that says why. */
async function failedStart(env: Record<string, string>): Promise<string> {
  return (await failedStartOutput(env)).trimEnd().split("\n").at(-1) ?? "";
}

const base = () => ({ AIML_API_KEY: API_KEY, AIML_BASE_URL: provider.url, STORE_URL: "sqlite://:memory:" });

describe("npm start reports configuration problems in one round", () => {
  it("with a .env copied from .env.example as is, names the API key and the missing platform together", async () => {
    const example = readFileSync(new URL("../../.env.example", import.meta.url), "utf8");
    expect(await failedStartOutput({}, { ".env": example })).toBe(
      "Configuration problems (set these in the environment or in .env; .env.example describes each):\n" +
        "AIML_API_KEY: required: your API key from https://aimlapi.com/app/keys\n" +
        "DISCORD_TOKEN or SLACK_BOT_TOKEN: no chat platform is configured. Set DISCORD_TOKEN for Discord, or " +
        "SLACK_BOT_TOKEN with SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) for Slack. To try " +
        "parley without a platform, run `npm run chat`.\n",
    );
  });

  it("lists every problem, one line per setting, without echoing a token or a URL password", async () => {
    const env = {
      ...base(),
      STORE_URL: "postgres://admin:pg-startup-secret@db.internal/parley",
      DISCORD_API_URL: "ftp://proxy-user:proxy-startup-secret@proxy.example/api",
      MAX_OUTPUT_TOKENS: "lots",
      // The two Slack tokens swapped, a classic.
      SLACK_BOT_TOKEN: SLACK_APP_TOKEN,
      SLACK_APP_TOKEN: SLACK_BOT_TOKEN,
    };
    const printed = await failedStartOutput(env);
    expect(printed.trimEnd().split("\n")).toEqual([
      "Configuration problems (set these in the environment or in .env; .env.example describes each):",
      'STORE_URL: expected sqlite://<file> or redis://host:port, got "postgres://***@db.internal/parley"',
      'MAX_OUTPUT_TOKENS: expected a whole number from 16 to 100000, got "lots"',
      'DISCORD_API_URL: expected an http(s):// URL, got "ftp://***@proxy.example/api"',
      "SLACK_BOT_TOKEN: expected the Bot User OAuth Token, which starts with xoxb- (OAuth & Permissions)",
      "SLACK_APP_TOKEN: expected an app-level token, which starts with xapp- (Basic Information → App-Level Tokens)",
    ]);
    for (const secret of ["admin", "proxy-user"]) expect(printed).not.toContain(secret);
  });
});

describe("npm start names the setting when Discord cannot be used", () => {
  it("Discord unreachable: names DISCORD_API_URL and the refused connection", async () => {
    const closed = await freePort();
    const line = await failedStart({
      ...base(),
      DISCORD_TOKEN,
      DISCORD_API_URL: `http://127.0.0.1:${closed}/api`,
    });
    expect(line).toBe(
      `Could not reach Discord at http://127.0.0.1:${closed}/api (connection refused): check the network or ` +
        "DISCORD_API_URL",
    );
  });

  it("token rejected: Discord's 401 at GET /users/@me names DISCORD_TOKEN", async () => {
    const discord = await startFakeDiscord({ token: "the-token-discord-knows" });
    cleanups.push(() => discord.close());
    const line = await failedStart({ ...base(), DISCORD_TOKEN, DISCORD_API_URL: discord.apiUrl });
    expect(line).toBe(`Discord rejected DISCORD_TOKEN (401 at GET /users/@me): ${TOKEN_HINT}`);
    // Nothing was tried with a token Discord had refused.
    expect(discord.gateway.identifies).toEqual([]);
  });

  it("token rejected by the gateway (close code 4004) names DISCORD_TOKEN", async () => {
    const discord = await startFakeDiscord({ token: DISCORD_TOKEN });
    cleanups.push(() => discord.close());
    discord.gateway.refuseIdentify(4004, "Authentication failed.");
    const line = await failedStart({ ...base(), DISCORD_TOKEN, DISCORD_API_URL: discord.apiUrl });
    expect(line).toBe(
      `Discord rejected DISCORD_TOKEN (gateway closed with 4004 Authentication failed): ${TOKEN_HINT}`,
    );
  });

  it("the Message Content intent not turned on (close code 4014) says where to turn it on", async () => {
    const discord = await startFakeDiscord({ token: DISCORD_TOKEN });
    cleanups.push(() => discord.close());
    discord.gateway.refuseIdentify(4014, "Disallowed intent(s).");
    const line = await failedStart({ ...base(), DISCORD_TOKEN, DISCORD_API_URL: discord.apiUrl });
    expect(line).toBe(
      "Discord refused the Message Content intent parley needs (gateway closed with 4014 Disallowed intents): " +
        "turn on Message Content Intent in the Developer Portal (your application → Bot), then start again",
    );
  });

  it("gateway unreachable: names the address that was tried instead of retrying for ever", async () => {
    const closed = await freePort();
    const discord = await startFakeDiscord({ token: DISCORD_TOKEN, gatewayUrl: `ws://127.0.0.1:${closed}` });
    cleanups.push(() => discord.close());
    const line = await failedStart({ ...base(), DISCORD_TOKEN, DISCORD_API_URL: discord.apiUrl });
    expect(line).toBe(
      `Could not reach Discord's gateway at ws://127.0.0.1:${closed} (3 connection attempts failed): check the ` +
        "network and any proxy or firewall that blocks WebSockets; the address comes from DISCORD_API_URL",
    );
  });
});

describe("npm start names the setting when Slack cannot be used", () => {
  const socketMode = { SLACK_BOT_TOKEN, SLACK_APP_TOKEN };

  it("Slack unreachable: names SLACK_API_URL, not the token", async () => {
    const closed = await freePort();
    const line = await failedStart({
      ...base(),
      ...socketMode,
      SLACK_API_URL: `http://127.0.0.1:${closed}/api/`,
    });
    expect(line).toBe(
      `Could not reach Slack at http://127.0.0.1:${closed}/api/ (connection refused): check the network or ` +
        "SLACK_API_URL",
    );
  });

  it("bot token rejected (invalid_auth from auth.test) names SLACK_BOT_TOKEN", async () => {
    const slack = await startFakeSlack();
    cleanups.push(() => slack.close());
    slack.failNext("auth.test", "invalid_auth");
    const line = await failedStart({ ...base(), ...socketMode, SLACK_API_URL: slack.apiUrl });
    expect(line).toBe(
      "Slack rejected SLACK_BOT_TOKEN (invalid_auth at auth.test): copy the Bot User OAuth Token (xoxb-…) from " +
        "OAuth & Permissions, and reinstall the app if it was revoked",
    );
  });

  it("app token rejected (apps.connections.open failing) names SLACK_APP_TOKEN", async () => {
    const slack = await startFakeSlack();
    cleanups.push(() => slack.close());
    slack.failNext("apps.connections.open", "invalid_auth");
    const line = await failedStart({ ...base(), ...socketMode, SLACK_API_URL: slack.apiUrl });
    expect(line).toBe(
      "Slack rejected SLACK_APP_TOKEN (invalid_auth at apps.connections.open): create an app-level token with " +
        "the connections:write scope under Basic Information → App-Level Tokens",
    );
  });

  it("HTTP mode with PORT taken names PORT", async () => {
    const slack = await startFakeSlack();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    const port = (taken.address() as { port: number }).port;
    cleanups.push(
      () => slack.close(),
      () => new Promise<void>((resolve) => taken.close(() => resolve())),
    );
    const line = await failedStart({
      ...base(),
      SLACK_BOT_TOKEN,
      SLACK_SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
    });
    expect(line).toBe(
      `PORT: port ${port} is already in use: stop what listens there, or set PORT to a free port`,
    );
  });
});

describe("npm start names STORE_URL when the store cannot be used", () => {
  it("Redis unreachable: gives up within 10 s, showing the URL without its password", async () => {
    // How long this machine takes to load parley and fail at once, so the wait for Redis can be told apart.
    const loadedAt = Date.now();
    await failedStart({ ...base(), DISCORD_TOKEN, STORE_URL: "postgres://nowhere" });
    const loadingMs = Date.now() - loadedAt;
    const closed = await freePort();
    const startedAt = Date.now();
    const line = await failedStart({
      ...base(),
      DISCORD_TOKEN,
      STORE_URL: `redis://parley:redis-startup-secret@127.0.0.1:${closed}`,
    });
    expect(Date.now() - startedAt - loadingMs).toBeLessThan(12_000);
    expect(line).toBe(
      `STORE_URL: could not connect to Redis at redis://***@127.0.0.1:${closed} within 10 s (connection refused): ` +
        "check that Redis is running there, or correct STORE_URL",
    );
  }, 40_000);
});
