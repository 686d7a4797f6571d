// The committed slack-manifest.json is what the script generates from the command registry.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  buildSlackManifest,
  SLACK_BOT_EVENTS,
  slackManifestText,
  slackRequestUrl,
} from "../../../adapters/slack/manifest.ts";
import { COMMANDS } from "../../../src/commands.ts";
import { ParleyError } from "../../../src/errors.ts";

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

  it("names the commands with COMMAND_PREFIX in front", () => {
    const manifest = buildSlackManifest({
      commandPrefix: "ai-",
      requestUrl: "https://h.example/slack/events",
    });
    expect(manifest.features.slash_commands.map((command) => command.command)).toEqual(
      COMMANDS.map((spec) => `/ai-${spec.name}`),
    );
    for (const command of manifest.features.slash_commands)
      expect(command.command.length).toBeLessThanOrEqual(32);
  });

  it("leaves request URLs out in Socket Mode", () => {
    expect(requestUrlsOf(buildSlackManifest())).toEqual([]);
  });

  it("in HTTP mode fills in every request URL and turns Socket Mode off", () => {
    const requestUrl = "https://parley.example.com/slack/events";
    const manifest = buildSlackManifest({ requestUrl });
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.event_subscriptions).toEqual({
      request_url: requestUrl,
      bot_events: [...SLACK_BOT_EVENTS],
    });
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: requestUrl });
    expect(manifest.features.slash_commands.map((command) => [command.command, command.url])).toEqual(
      COMMANDS.map((spec) => [`/${spec.name}`, requestUrl]),
    );
    // Nothing else asks for a URL: events, interactivity and each command are all of them.
    expect(requestUrlsOf(manifest)).toHaveLength(COMMANDS.length + 2);
    // The rest is the Socket Mode manifest.
    const socketMode = buildSlackManifest();
    expect(manifest.oauth_config).toEqual(socketMode.oauth_config);
    expect(manifest.features.assistant_view).toEqual(socketMode.features.assistant_view);
  });
});

describe("the HTTP mode request URL", () => {
  it("is parley's /slack/events under the public address", () => {
    expect(slackRequestUrl("https://parley.example.com")).toBe("https://parley.example.com/slack/events");
    expect(slackRequestUrl(" https://parley.example.com/ ")).toBe("https://parley.example.com/slack/events");
    expect(slackRequestUrl("https://example.com:8443/bots/parley/")).toBe(
      "https://example.com:8443/bots/parley/slack/events",
    );
    expect(slackRequestUrl("https://parley.example.com/slack/events")).toBe(
      "https://parley.example.com/slack/events",
    );
  });

  it.each([
    ["http://parley.example.com", '"http://parley.example.com", which does not start with https://'],
    ["parley.example.com", '"parley.example.com", which is not a URL'],
    ["", "nothing, which is not a URL"],
    ["https://admin:hunter2@parley.example.com", '"https://***@parley.example.com", which holds a user name'],
    ["https://parley.example.com/?x=1", '"https://parley.example.com/?x=1", which has a query or a fragment'],
  ])("refuses %j with one sentence", (address, detail) => {
    let message = "";
    try {
      slackRequestUrl(address);
    } catch (error) {
      message = error instanceof ParleyError ? error.userMessage : String(error);
    }
    expect(message).toMatch(/^--http needs the public https:\/\/ address Slack reaches parley at/);
    expect(message).toContain(`; got ${detail}`);
    expect(message).not.toContain("hunter2");
  });
});

/** Every URL-valued field of a manifest, with where it is. */
function requestUrlsOf(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => requestUrlsOf(item, `${path}[${index}]`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    /url$/i.test(key) ? [`${path}.${key}`] : requestUrlsOf(item, `${path}.${key}`),
  );
}
