// Starting the adapter: configuration mistakes, a refused token and a Socket Mode that never connects fail start-up
// with the variable's name.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSlackAdapter } from "../../../adapters/slack/start.ts";
import { loadConfig } from "../../../src/config.ts";
import { silentLogger } from "../../../src/logger.ts";
import type { Engine } from "../../../src/types.ts";
import { type FakeSlack, startFakeSlack } from "../../support/fake-slack.ts";
import { freePort } from "../../support/redis-server.ts";

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
    for (const answer of ["invalid_auth", "not_authed", "token_revoked"]) {
      slack.failNext("auth.test", answer);
      const config = configWith({ SLACK_BOT_TOKEN: "xoxb-revoked", SLACK_SIGNING_SECRET: "test-secret" });
      await expect(
        startSlackAdapter({
          config,
          engine: unusedEngine,
          logger: silentLogger(),
          port: 0,
          host: "127.0.0.1",
        }),
      ).rejects.toThrow(
        `Slack rejected SLACK_BOT_TOKEN (${answer} at auth.test): copy the Bot User OAuth Token (xoxb-…) from ` +
          "OAuth & Permissions, and reinstall the app if it was revoked",
      );
    }
  });

  it("gives up on a Socket Mode WebSocket that never opens, instead of retrying silently for ever", async () => {
    const unreachable = await startFakeSlack({ socketUrl: `ws://127.0.0.1:${await freePort()}/socket` });
    try {
      const config = loadConfig({
        AIML_API_KEY: "test-key",
        SLACK_API_URL: unreachable.apiUrl,
        SLACK_BOT_TOKEN: "xoxb-test",
        SLACK_APP_TOKEN: "xapp-test",
      });
      await expect(
        startSlackAdapter({
          config,
          engine: unusedEngine,
          logger: silentLogger(),
          socketConnectTimeoutMs: 1_000,
        }),
      ).rejects.toThrow(
        "Slack's Socket Mode connection did not open within 1 s (apps.connections.open answered, the WebSocket " +
          "did not connect): check the network and any proxy or firewall that blocks WebSockets",
      );
      expect(unreachable.callsTo("apps.connections.open").length).toBeGreaterThan(0);
    } finally {
      await unreachable.close();
    }
  });
});
