// Registering the slash and message commands: on start (unless REGISTER_COMMANDS=0) and with `node adapters/discord/register.ts`.

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

/** The slash commands, then the message commands (Explain, Summarize, Translate to English). */
const NAMES = discordCommands("").map((command) => command.name);

test("the adapter registers the commands to the configured guild when it starts, and removes the global ones", async () => {
  const bot = await startDiscordHarness({
    env: (discord) => ({ REGISTER_COMMANDS: "1", DISCORD_GUILD_ID: discord.guildId }),
    // An earlier `npm run register` without DISCORD_GUILD_ID left the commands global.
    discord: { globalCommandNames: NAMES },
  });
  try {
    expect(bot.discord.commandRegistrations).toEqual([
      { guildId: bot.discord.guildId, commands: discordCommands("") },
      { commands: [] },
    ]);
    expect(bot.discord.commandNames(bot.discord.guildId)).toEqual(NAMES);
    expect(bot.discord.commandNames()).toEqual([]);
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
      `Registered 11 commands for application ${discord.applicationId} in guild ${discord.guildId}`,
    );
    expect(output).toContain("/ask, /search, /reason, /model, /reset, /usage, /help");
    expect(output).not.toContain(discord.token);
    expect(discord.commandRegistrations.at(-1)).toEqual({
      guildId: discord.guildId,
      commands: discordCommands(""),
    });
    expect(discord.commandNames(discord.guildId)).toEqual(NAMES);
    expect(discord.violations).toEqual([]);
  });

  test("registers globally without a guild, even before an API key is set, and empties the guild", async () => {
    const { code, output } = await run({ DISCORD_TOKEN: discord.token, AIML_API_KEY: "" });
    expect(code).toBe(0);
    expect(output).toMatch(/globally/);
    expect(output).toContain(
      `Removed the application's commands from guild ${discord.guildId}, so none appears twice.`,
    );
    expect(discord.commandNames()).toEqual(NAMES);
    expect(discord.commandNames(discord.guildId)).toEqual([]);
    expect(discord.violations).toEqual([]);
  });

  test("registers to the guild again after that, and removes the global commands", async () => {
    const { code, output } = await run({ DISCORD_TOKEN: discord.token, DISCORD_GUILD_ID: discord.guildId });
    expect(code).toBe(0);
    expect(output).toContain(
      `Removed the application's ${NAMES.length} global commands, so none appears twice.`,
    );
    expect(discord.commandNames(discord.guildId)).toEqual(NAMES);
    expect(discord.commandNames()).toEqual([]);
    expect(discord.violations).toEqual([]);
  });

  test("registers with COMMAND_PREFIX's names in place of the plain ones", async () => {
    const { code, output } = await run({
      DISCORD_TOKEN: discord.token,
      DISCORD_GUILD_ID: discord.guildId,
      COMMAND_PREFIX: "ai-",
    });
    expect(code).toBe(0);
    expect(output).toContain("/ai-ask, /ai-search, /ai-reason, /ai-model, /ai-reset, /ai-usage, /ai-help");
    expect(discord.commandNames(discord.guildId)).toEqual(
      discordCommands("ai-").map((command) => command.name),
    );
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

test("registering globally finds parley's guild commands in every guild the bot is in, past the first page", async () => {
  const discord = await startFakeDiscord();
  const directory = mkdtempSync(join(tmpdir(), "parley-register-"));
  try {
    // 201 guilds: GET /users/@me/guilds answers at most 200 at a time.
    const guilds = [discord.guildId, ...Array.from({ length: 200 }, () => discord.addGuild([0, 1]).guildId)];
    const [newest] = [...guilds].sort((first, second) => (BigInt(first) > BigInt(second) ? -1 : 1));
    const env = {
      PATH: process.env.PATH ?? "",
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
    };
    const register = (extra: Record<string, string>) =>
      new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          [SCRIPT],
          { cwd: directory, env: { ...env, ...extra }, timeout: 60_000 },
          (error, stdout, stderr) => (error ? reject(new Error(stdout + stderr)) : resolve(stdout)),
        ),
      );
    await register({ DISCORD_GUILD_ID: String(newest) });
    expect(discord.commandNames(newest)).toEqual(NAMES);
    const output = await register({});
    expect(output).toContain(
      `Removed the application's commands from guild ${newest}, so none appears twice.`,
    );
    expect(discord.commandNames()).toEqual(NAMES);
    for (const guild of guilds) expect(discord.commandNames(guild)).toEqual([]);
    // Only the guild that had commands was written to.
    const guildWrites = discord.commandRegistrations.filter((registration) => registration.guildId);
    expect(guildWrites.map((registration) => [registration.guildId, registration.commands.length])).toEqual([
      [newest, NAMES.length],
      [newest, 0],
    ]);
    expect(discord.violations).toEqual([]);
  } finally {
    await discord.close();
    rmSync(directory, { recursive: true, force: true });
  }
}, 60_000);
