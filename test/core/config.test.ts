// loadConfig: defaults, every problem reported together with the variable's name, secrets never echoed.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import dotenv from "dotenv";
import { describe, expect, it } from "vitest";
import { loadConfig, readEnvironment, withoutCredentials } from "../../src/config.ts";
import { ParleyError } from "../../src/errors.ts";

describe("loadConfig", () => {
  it("fills the documented defaults", () => {
    const config = loadConfig({ AIML_API_KEY: "key-1" });
    expect(config.aimlBaseUrl).toBe("https://api.aimlapi.com/v1");
    expect(config.storeUrl).toBe("sqlite://data/parley.sqlite");
    expect(config.models).toEqual({
      chat: "openai/gpt-4.1-mini-2025-04-14",
      search: "gpt-4o-mini-search-preview",
      reason: "openai/o4-mini-2025-04-16",
    });
    expect(config.allowedModels).toEqual([
      "openai/gpt-4.1-mini-2025-04-14",
      "gpt-4o-mini-search-preview",
      "openai/o4-mini-2025-04-16",
      "gpt-4o-mini",
    ]);
    expect(config.discord.apiUrl).toBe("https://discord.com/api");
    expect(config.slack.apiUrl).toBe("https://slack.com/api/");
    expect(config.slack.port).toBe(3000);
  });

  it("reports every problem at once, naming each variable", () => {
    let caught: unknown;
    try {
      loadConfig({ STORE_URL: "postgres://x", MAX_OUTPUT_TOKENS: "lots", PORT: "99999", LOG_LEVEL: "loud" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ParleyError);
    const message = (caught as ParleyError).userMessage;
    expect(message).toContain("AIML_API_KEY");
    expect(message).toContain('STORE_URL: expected sqlite://<file> or redis://host:port, got "postgres://x"');
    expect(message).toContain("MAX_OUTPUT_TOKENS");
    expect(message).toContain("PORT");
    expect(message).toContain("LOG_LEVEL");
  });

  it("rejects a blank API key and shows the bad value of a non-secret variable", () => {
    expect(() => loadConfig({ AIML_API_KEY: "   " })).toThrow(/AIML_API_KEY/);
    expect(() => loadConfig({ AIML_API_KEY: "k", AIML_BASE_URL: "ftp://elsewhere" })).toThrow(
      'AIML_BASE_URL: expected an http(s):// URL, got "ftp://elsewhere"',
    );
  });

  it("shows a bad store or API URL without its user and password", () => {
    const problemsOf = (env: Record<string, string>): string => {
      try {
        loadConfig({ AIML_API_KEY: "k", ...env });
      } catch (error) {
        return (error as ParleyError).userMessage;
      }
      throw new Error("expected a configuration problem");
    };
    const store = problemsOf({ STORE_URL: "postgres://admin:s3cret-pw@db.internal:5432/parley" });
    expect(store).toContain(
      'STORE_URL: expected sqlite://<file> or redis://host:port, got "postgres://***@db.internal:5432/parley"',
    );
    expect(store).not.toContain("s3cret-pw");
    expect(store).not.toContain("admin");
    // An unencoded @ or / in the password must not leave half of it behind.
    const awkward = problemsOf({
      AIML_BASE_URL: "ftp://user:p@ss/w0rd@proxy.example/v1",
      STORE_URL: "mysql://:hunter2@h",
    });
    expect(awkward).toContain('AIML_BASE_URL: expected an http(s):// URL, got "ftp://***@proxy.example/v1"');
    expect(awkward).toContain('got "mysql://***@h"');
    expect(awkward).not.toMatch(/p@ss|w0rd|hunter2/);
    expect(problemsOf({ DISCORD_API_URL: "discord.example/api?password=topsecret&v=10" })).toContain(
      'got "discord.example/api?password=***&v=10"',
    );
  });

  it("leaves values without credentials as they are", () => {
    expect(withoutCredentials("redis://redis:6379")).toBe("redis://redis:6379");
    expect(withoutCredentials("sqlite://data/parley.sqlite")).toBe("sqlite://data/parley.sqlite");
    expect(withoutCredentials("rediss://default:pw@cache.example:6380/0")).toBe(
      "rediss://***@cache.example:6380/0",
    );
  });

  it("reads MODEL_ALLOW as a comma list and Redis store URLs", () => {
    const config = loadConfig({
      AIML_API_KEY: "k",
      MODEL_ALLOW: " a , b,,c ",
      STORE_URL: "redis://127.0.0.1:6379",
    });
    expect(config.allowedModels).toEqual(["a", "b", "c"]);
    expect(config.storeUrl).toBe("redis://127.0.0.1:6379");
  });

  it("accepts .env.example as shipped, once a key is filled in", () => {
    const example = dotenv.parse(readFileSync(new URL("../../.env.example", import.meta.url)));
    expect(Object.keys(example)).toEqual([
      "AIML_API_KEY",
      "AIML_BASE_URL",
      "STORE_URL",
      "MODEL_CHAT",
      "MODEL_SEARCH",
      "MODEL_REASON",
      "MODEL_ALLOW",
      "SYSTEM_PROMPT",
      "MAX_OUTPUT_TOKENS",
      "LOG_LEVEL",
      "DISCORD_TOKEN",
      "DISCORD_API_URL",
      "DISCORD_GUILD_ID",
      "REGISTER_COMMANDS",
      "DISCORD_SHARDS",
      "SLACK_BOT_TOKEN",
      "SLACK_SIGNING_SECRET",
      "SLACK_APP_TOKEN",
      "SLACK_API_URL",
      "PORT",
      "METRICS_PORT",
      "COMMAND_PREFIX",
      "LIMIT_USER_DAILY_TOKENS",
      "LIMIT_CHANNEL_DAILY_TOKENS",
      "LIMIT_WORKSPACE_DAILY_TOKENS",
      "LIMIT_WORKSPACE_MONTHLY_USD",
      "LIMIT_USER_TURNS_PER_MINUTE",
      "LIMIT_USER_CONCURRENT",
      "ALLOW_CHANNELS",
      "ALLOW_USERS",
      "ALLOW_ROLES",
      "ALLOW_DMS",
      "ADMIN_USERS",
      "RETENTION_DAYS",
    ]);
    const config = loadConfig({ ...example, AIML_API_KEY: "k" });
    expect(config.discord.token).toBeUndefined();
    expect(config.discord.registerCommandsOnStart).toBe(true);
    expect(config.allowedModels).toHaveLength(4);
  });
});

describe("loadConfig for npm start (a platform required)", () => {
  const problemsOf = (env: Record<string, string>): string[] => {
    try {
      loadConfig({ AIML_API_KEY: "k", ...env }, { requirePlatform: true });
    } catch (error) {
      return (error as ParleyError).userMessage.split("\n").slice(1);
    }
    return [];
  };

  it("names the missing platform together with every other problem, in one round", () => {
    expect(problemsOf({ AIML_API_KEY: "", MAX_OUTPUT_TOKENS: "lots" })).toEqual([
      "AIML_API_KEY: required: your API key from https://aimlapi.com/app/keys",
      'MAX_OUTPUT_TOKENS: expected a whole number from 16 to 100000, got "lots"',
      "DISCORD_TOKEN or SLACK_BOT_TOKEN: no chat platform is configured. Set DISCORD_TOKEN for Discord, or " +
        "SLACK_BOT_TOKEN with SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) for Slack. To " +
        "try parley without a platform, run `npm run chat`.",
    ]);
    // The terminal needs no platform.
    expect(loadConfig({ AIML_API_KEY: "k" }).discord.token).toBeUndefined();
  });

  it("names what a half-configured Slack lacks, judging tokens by their prefix without repeating them", () => {
    expect(problemsOf({ SLACK_APP_TOKEN: "xapp-only" })).toEqual([
      "SLACK_BOT_TOKEN: required for Slack: the Bot User OAuth Token (xoxb-…) under OAuth & Permissions",
    ]);
    expect(problemsOf({ SLACK_BOT_TOKEN: "xoxb-only" })).toEqual([
      "SLACK_SIGNING_SECRET: required in HTTP mode (Basic Information → App Credentials); or set SLACK_APP_TOKEN " +
        "to use Socket Mode",
    ]);
    const swapped = problemsOf({ SLACK_BOT_TOKEN: "xapp-secret-1", SLACK_APP_TOKEN: "xoxb-secret-2" });
    expect(swapped).toHaveLength(2);
    expect(swapped.join("\n")).not.toMatch(/secret-1|secret-2/);
  });

  it("accepts each platform set up completely", () => {
    expect(problemsOf({ DISCORD_TOKEN: "d" })).toEqual([]);
    expect(problemsOf({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" })).toEqual([]);
    expect(problemsOf({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" })).toEqual([]);
  });
});

describe("readEnvironment", () => {
  it("takes a blank value in .env (as .env.example ships them) as unset, so defaults still apply", () => {
    const directory = mkdtempSync(join(tmpdir(), "parley-env-"));
    try {
      const envFile = join(directory, ".env");
      copyFileSync(new URL("../../.env.example", import.meta.url), envFile);
      // The terminal's quieter default survives the blank LOG_LEVEL= line, and so do the other defaults.
      const config = loadConfig({ LOG_LEVEL: "warn", ...readEnvironment({ AIML_API_KEY: "k" }, envFile) });
      // As shipped, npm start needs the key and a platform, and says both at once.
      expect(() => loadConfig(readEnvironment({}, envFile), { requirePlatform: true })).toThrow(
        /AIML_API_KEY: required.*\nDISCORD_TOKEN or SLACK_BOT_TOKEN: no chat platform is configured/,
      );
      expect(config.logLevel).toBe("warn");
      expect(config.metricsPort).toBeUndefined();
      expect(config.discord.shards).toBe(1);
      // A blank real variable is unset too; a real value still wins over the file.
      const environment = readEnvironment(
        { AIML_API_KEY: "k", STORE_URL: "  ", LOG_LEVEL: "error" },
        envFile,
      );
      expect(environment).not.toHaveProperty("STORE_URL", "  ");
      expect(loadConfig({ LOG_LEVEL: "warn", ...environment }).logLevel).toBe("error");
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
