// Secrets never reach a log line: not by field name, not inside an error's message or stack, not from the last-resort handlers.
import { EventEmitter } from "node:events";
import { describe, expect, test } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { createSecretScrubber } from "../../src/logger.ts";
import { configSecrets } from "../../src/ops/config-secrets.ts";
import { logProcessErrors } from "../../src/ops/process-errors.ts";
import { recordingLogger } from "./log-lines.ts";

const API_KEY = "sk-aiml-0123456789abcdef";
const config = loadConfig({
  AIML_API_KEY: API_KEY,
  DISCORD_TOKEN: "discord.bot.token-value",
  SLACK_BOT_TOKEN: "xoxb-1111-2222-secretbot",
  SLACK_APP_TOKEN: "xapp-1-A111-secretapp",
  SLACK_SIGNING_SECRET: "signing-secret-value-42",
  STORE_URL: "redis://parley:p%40ss%2Fw0rd@127.0.0.1:6379",
});
const ALL_SECRETS = [
  API_KEY,
  "discord.bot.token-value",
  "xoxb-1111-2222-secretbot",
  "xapp-1-A111-secretapp",
  "signing-secret-value-42",
  "p@ss/w0rd",
  "p%40ss%2Fw0rd",
];

describe("configSecrets", () => {
  test("names the API key, every platform secret and the store URL's password", () => {
    const secrets = configSecrets(config);
    for (const secret of ALL_SECRETS.slice(0, 5)) expect(secrets).toContain(secret);
    expect(secrets).toContain("p%40ss%2Fw0rd");
  });
});

describe("configSecrets of URLs", () => {
  test("takes the password of a proxy in any configured URL", () => {
    const proxied = loadConfig({
      AIML_API_KEY: API_KEY,
      AIML_BASE_URL: "https://parley:provider-proxy-pass@proxy.example/v1",
      DISCORD_API_URL: "https://parley:discord-proxy-pass@proxy.example/api",
      SLACK_API_URL: "https://parley:slack-proxy-pass@proxy.example/api/",
    });
    expect(configSecrets(proxied)).toEqual(
      expect.arrayContaining(["provider-proxy-pass", "discord-proxy-pass", "slack-proxy-pass"]),
    );
  });
});

describe("the logger", () => {
  test("a thrown error whose message contains the API key is logged without it, stack included", () => {
    const log = recordingLogger(configSecrets(config));
    const error = new Error(`401 from the provider for key ${API_KEY}`);
    log.logger.error({ err: error }, "turn failed");
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).not.toContain(API_KEY);
    const record = log.records()[0] as { err: { message: string; stack: string } };
    expect(record.err.message).toBe("401 from the provider for key [redacted]");
    expect(record.err.stack).toContain("[redacted]");
  });

  test("secrets inside any field, in a child logger, URL-encoded or decoded, are scrubbed", () => {
    const log = recordingLogger(configSecrets(config));
    const child = log.logger.child({ adapter: "slack" });
    child.warn(
      {
        url: config.storeUrl,
        detail: { text: "password p@ss/w0rd and token xoxb-1111-2222-secretbot" },
        note: `app xapp-1-A111-secretapp, signing signing-secret-value-42, discord discord.bot.token-value`,
      },
      `message with ${API_KEY}`,
    );
    const line = log.lines.join("\n");
    for (const secret of ALL_SECRETS) expect(line).not.toContain(secret);
    expect(log.records()[0]).toMatchObject({ adapter: "slack", msg: "message with [redacted]" });
  });

  test("uncaught exceptions and unhandled rejections go through the same redaction", () => {
    const log = recordingLogger(configSecrets(config));
    const processLike = new EventEmitter();
    logProcessErrors(log.logger, processLike);
    processLike.emit("uncaughtException", new Error(`boom with ${API_KEY}`));
    processLike.emit("unhandledRejection", new Error(`rejected with xoxb-1111-2222-secretbot`));
    expect(log.records().map((record) => record.msg)).toEqual(["uncaught exception", "unhandled rejection"]);
    const text = log.lines.join("\n");
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain("xoxb-1111-2222-secretbot");
    expect(text).toContain("boom with [redacted]");
  });
});

describe("scrubbing whole values only", () => {
  test("a short key is hidden where it stands alone, and ordinary words that contain it stay readable", () => {
    const scrub = createSecretScrubber(["test"]);
    expect(scrub("the key test was refused; attested, tests and latest are words")).toBe(
      "the key [redacted] was refused; attested, tests and latest are words",
    );
    expect(scrub('{"url":"https://api/?key=test&x=1","auth":"Bearer test"}')).toBe(
      '{"url":"https://api/?key=[redacted]&x=1","auth":"Bearer [redacted]"}',
    );
  });
});
