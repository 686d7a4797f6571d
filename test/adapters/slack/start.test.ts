// Starting the adapter: configuration mistakes and a refused token fail start-up with the variable's name.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSlackAdapter } from "../../../adapters/slack/start.ts";
import { loadConfig } from "../../../src/config.ts";
import { silentLogger } from "../../../src/logger.ts";
import type { Engine } from "../../../src/types.ts";
import { type FakeSlack, startFakeSlack } from "../../support/fake-slack.ts";

/** An engine that must never be reached by these tests. */
const unusedEngine: Engine = {
  reply: () => {
    throw new Error("not expected");
  },
  access: () => ({ allowed: true }),
  hasConversation: async () => false,
  claimEvent: async () => true,
  allowedModels: () => [],
};

let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack();
});
afterAll(async () => {
  await slack.close();
});

const configWith = (env: Record<string, string>) =>
  loadConfig({ AIML_API_KEY: "test-key", SLACK_API_URL: slack.apiUrl, LOG_LEVEL: "silent", ...env });

describe("startSlackAdapter", () => {
  it("needs a signing secret in HTTP mode", async () => {
    const config = configWith({ SLACK_BOT_TOKEN: "xoxb-test" });
    await expect(startSlackAdapter({ config, engine: unusedEngine, logger: silentLogger() })).rejects.toThrow(
      /SLACK_SIGNING_SECRET/,
    );
  });

  it("fails start-up, naming SLACK_BOT_TOKEN, when Slack refuses the token", async () => {
    slack.failNext("auth.test", "invalid_auth");
    const config = configWith({ SLACK_BOT_TOKEN: "xoxb-revoked", SLACK_SIGNING_SECRET: "test-secret" });
    await expect(
      startSlackAdapter({ config, engine: unusedEngine, logger: silentLogger(), port: 0, host: "127.0.0.1" }),
    ).rejects.toThrow(/SLACK_BOT_TOKEN: Slack refused the token \(invalid_auth\)/);
  });
});
