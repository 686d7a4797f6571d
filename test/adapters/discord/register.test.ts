// Registering the slash commands: on start (REGISTER_COMMANDS=1) and with `node adapters/discord/register.ts`.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { discordCommands } from "../../../adapters/discord/commands.ts";
import { type FakeDiscord, startFakeDiscord } from "../../support/fake-discord.ts";
import { startDiscordHarness } from "./harness.ts";

const SCRIPT = fileURLToPath(new URL("../../../adapters/discord/register.ts", import.meta.url));

test("the adapter registers the commands to the configured guild when it starts", async () => {
  const bot = await startDiscordHarness({
    env: (discord) => ({ REGISTER_COMMANDS: "1", DISCORD_GUILD_ID: discord.guildId }),
  });
  try {
    expect(bot.discord.commandRegistrations).toEqual([
      { guildId: bot.discord.guildId, commands: discordCommands("") },
    ]);
    // The gateway was reached as PLATFORMS.md describes: plain JSON, the intents the bot needs.
    const intents = Number(bot.discord.gateway.identifies[0]?.intents);
    for (const bit of [1 << 0, 1 << 9, 1 << 12, 1 << 15]) expect(intents & bit).toBe(bit);
    expect(bot.discord.gateway.connectionUrls[0]).toMatch(/v=10&encoding=json$/);
    expect(bot.discord.violations).toEqual([]);
  } finally {
    await bot.close();
  }
});

describe("the register script", () => {
  let discord: FakeDiscord;
  let directory: string;

  beforeAll(async () => {
    discord = await startFakeDiscord();
    // An empty working directory, so no .env file of the developer's leaks in.
    directory = mkdtempSync(join(tmpdir(), "parley-register-"));
  });
  afterAll(async () => {
    await discord?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const run = (env: Record<string, string>) =>
    new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        process.execPath,
        [SCRIPT],
        {
          cwd: directory,
          env: {
            PATH: process.env.PATH ?? "",
            AIML_API_KEY: "test-key",
            DISCORD_API_URL: discord.apiUrl,
            ...env,
          },
        },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
      );
    });

  test("registers to a guild when DISCORD_GUILD_ID is set, and says so without the token", async () => {
    const { code, output } = await run({ DISCORD_TOKEN: discord.token, DISCORD_GUILD_ID: discord.guildId });
    expect(code).toBe(0);
    expect(output).toContain(
      `Registered 7 commands for application ${discord.applicationId} in guild ${discord.guildId}`,
    );
    expect(output).toContain("/ask, /search, /reason, /model, /reset, /usage, /help");
    expect(output).not.toContain(discord.token);
    expect(discord.commandRegistrations.at(-1)).toEqual({
      guildId: discord.guildId,
      commands: discordCommands(""),
    });
    expect(discord.violations).toEqual([]);
  });

  test("registers globally without a guild, even before an API key is set", async () => {
    const { code, output } = await run({ DISCORD_TOKEN: discord.token, AIML_API_KEY: "" });
    expect(code).toBe(0);
    expect(output).toMatch(/globally/);
    expect(discord.commandRegistrations.at(-1)).toEqual({ commands: discordCommands("") });
  });

  test("a rejected token fails with a message that does not print the token", async () => {
    const { code, output } = await run({ DISCORD_TOKEN: "wrong-secret-token" });
    expect(code).toBe(1);
    expect(output).toMatch(/Registering the Discord commands failed/);
    expect(output).not.toContain("wrong-secret-token");
    discord.violations.length = 0;
  });

  test("without DISCORD_TOKEN it names the missing variable", async () => {
    const { code, output } = await run({});
    expect(code).toBe(1);
    expect(output).toContain("DISCORD_TOKEN");
  });
});
