// loadConfig: defaults, every problem reported together with the variable's name, secrets never echoed.
import { readFileSync } from "node:fs";
import dotenv from "dotenv";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
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
      "SLACK_BOT_TOKEN",
      "SLACK_SIGNING_SECRET",
      "SLACK_APP_TOKEN",
      "SLACK_API_URL",
      "PORT",
    ]);
    const config = loadConfig({ ...example, AIML_API_KEY: "k" });
    expect(config.discord.token).toBeUndefined();
    expect(config.discord.registerCommandsOnStart).toBe(false);
    expect(config.allowedModels).toHaveLength(4);
  });
});
