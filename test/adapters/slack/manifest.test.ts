// The committed slack-manifest.json is what the script generates from the command registry.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildSlackManifest, SLACK_BOT_EVENTS, slackManifestText } from "../../../adapters/slack/manifest.ts";
import { COMMANDS } from "../../../src/commands.ts";

const committed = readFileSync(new URL("../../../slack-manifest.json", import.meta.url), "utf8");

describe("Slack app manifest", () => {
  it("matches the committed slack-manifest.json (run `npm run manifest` after changing commands)", () => {
    expect(committed).toBe(slackManifestText());
  });

  it("declares every registry command as a slash command", () => {
    const manifest = buildSlackManifest();
    expect(manifest.features.slash_commands.map((command) => command.command)).toEqual(
      COMMANDS.map((spec) => `/${spec.name}`),
    );
    const reason = manifest.features.slash_commands.find((command) => command.command === "/reason");
    expect(reason?.usage_hint).toBe("[low|medium|high] <prompt>");
    for (const command of manifest.features.slash_commands)
      expect(command.description.length).toBeLessThanOrEqual(100);
  });

  it("subscribes to what the adapter handles, in Socket Mode with the assistant view", () => {
    const manifest = buildSlackManifest();
    expect(manifest.settings.event_subscriptions.bot_events).toEqual([...SLACK_BOT_EVENTS]);
    expect(manifest.settings.event_subscriptions.bot_events).toContain("app_mention");
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.features.assistant_view.suggested_prompts.length).toBeGreaterThan(0);
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining([
        "app_mentions:read",
        "assistant:write",
        "chat:write",
        "commands",
        "im:history",
        "files:read",
      ]),
    );
  });
});
