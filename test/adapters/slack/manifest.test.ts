// The committed slack-manifest.json is what the script generates from the command registry.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  buildSlackManifest,
  SLACK_ASSISTANT_VIEW_EVENTS,
  SLACK_BOT_EVENTS,
  SLACK_METHOD_SCOPES,
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

  it("uses the agent messaging experience, in Socket Mode, with the agent events", () => {
    const manifest = buildSlackManifest();
    expect(manifest.settings.event_subscriptions.bot_events).toEqual([...SLACK_BOT_EVENTS]);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(["app_home_opened", "app_context_changed", "message.im", "app_mention"]),
    );
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.features.agent_view.agent_description.length).toBeGreaterThan(0);
    expect(manifest.features.agent_view.agent_description.length).toBeLessThanOrEqual(300);
    expect(manifest.features).not.toHaveProperty("assistant_view");
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
  });

  it("subscribes to every event the adapter listens for", () => {
    const subscribed = new Set<string>(buildSlackManifest().settings.event_subscriptions.bot_events);
    const listened = listenedEvents();
    expect(listened.size).toBeGreaterThan(0);
    for (const event of listened) {
      // A message listener hears whatever message.* subscriptions deliver; it needs at least the DM one.
      if (event === "message") expect(subscribed).toContain("message.im");
      // The assistant view's events stay handled for apps created before agent_view.
      else if ((SLACK_ASSISTANT_VIEW_EVENTS as readonly string[]).includes(event)) continue;
      else expect(subscribed, `the manifest does not subscribe to ${event}`).toContain(event);
    }
    // Nothing subscribed that nobody listens for.
    for (const event of subscribed) expect(listened).toContain(event.replace(/^message\..*/, "message"));
  });

  it("asks for the scope of every Web API method the adapter calls", () => {
    const scopes = new Set<string>(buildSlackManifest().oauth_config.scopes.bot);
    const called = calledMethods();
    expect(called).toContain("chat.postMessage");
    for (const method of called) {
      expect(Object.keys(SLACK_METHOD_SCOPES), `no scope is known for ${method}`).toContain(method);
      const scope = SLACK_METHOD_SCOPES[method];
      if (scope !== undefined) expect(scopes, `${method} needs ${scope}`).toContain(scope);
    }
    // Events and reading need their own scopes.
    expect([...scopes]).toEqual(
      expect.arrayContaining([
        "app_mentions:read",
        "im:history",
        "channels:history",
        "files:read",
        "commands",
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
    expect(manifest.features.agent_view).toEqual(socketMode.features.agent_view);
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

/** The Slack adapter's source files. */
function adapterSources(): string[] {
  const directory = new URL("../../../adapters/slack/", import.meta.url);
  return readdirSync(directory)
    .filter((name) => name.endsWith(".ts"))
    .map((name) => readFileSync(new URL(name, directory), "utf8"));
}

/** Every event the adapter registers a listener for; an Assistant brings its own (Bolt's Assistant class). */
function listenedEvents(): Set<string> {
  const events = new Set<string>();
  for (const source of adapterSources()) {
    for (const match of source.matchAll(/app\.event\(\s*"([a-z_]+)"/g)) if (match[1]) events.add(match[1]);
    if (/app\.assistant\(/.test(source)) {
      for (const event of SLACK_ASSISTANT_VIEW_EVENTS) events.add(event);
      events.add("message");
    }
  }
  return events;
}

/** Every Web API method the adapter calls (`client.chat.postMessage(`), and those Bolt's Assistant calls for it. */
function calledMethods(): Set<string> {
  const methods = new Set<string>();
  for (const source of adapterSources()) {
    for (const match of source.matchAll(/\bclient\.((?:[a-zA-Z]+\.)+[a-zA-Z]+)\(/g))
      if (match[1]) methods.add(match[1]);
    if (/new Assistant\(/.test(source)) {
      for (const method of ["setStatus", "setSuggestedPrompts", "setTitle"])
        methods.add(`assistant.threads.${method}`);
    }
  }
  return methods;
}
