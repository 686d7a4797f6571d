// On start parley reads Discord's copy of its commands once and writes them only when they differ.
import { expect, test } from "vitest";
import { discordCommands } from "../../../adapters/discord/commands.ts";
import type { FakeDiscord } from "../../support/fake-discord.ts";
import { startDiscordHarness } from "./harness.ts";

/** The requests that touched the application's commands, as "METHOD template". */
function commandRequests(discord: FakeDiscord): string[] {
  return discord.requests
    .filter((request) => request.template?.includes("/commands"))
    .map((request) => `${request.method} ${request.template}`);
}

test("commands Discord already has as parley defines them are read once and not written", async () => {
  const bot = await startDiscordHarness({
    env: (discord) => ({ DISCORD_GUILD_ID: discord.guildId, LOG_LEVEL: "info" }),
    discord: { existingCommands: { inGuild: true, commands: discordCommands("") } },
  });
  try {
    expect(commandRequests(bot.discord)).toEqual([
      "GET /applications/{application_id}/guilds/{guild_id}/commands",
    ]);
    expect(bot.discord.commandRegistrations).toEqual([]);
    expect(bot.logLines.some((line) => line.includes("discord commands up to date"))).toBe(true);
  } finally {
    await bot.close();
  }
});

test("commands that differ (an older parley's) are written once, globally without a guild", async () => {
  const older = discordCommands("").map((command) =>
    command.name === "ask" ? { ...command, description: "Ask the AI" } : command,
  );
  const bot = await startDiscordHarness({ discord: { existingCommands: { commands: older } } });
  try {
    expect(bot.discord.commandRegistrations).toEqual([{ commands: discordCommands("") }]);
    expect(commandRequests(bot.discord).filter((request) => request.startsWith("PUT"))).toEqual([
      "PUT /applications/{application_id}/commands",
    ]);
    expect(bot.discord.commandNames()).toContain("ask");
    expect(bot.discord.violations).toEqual([]);
  } finally {
    await bot.close();
  }
});

test("a newcomer's first start registers the commands without `npm run register`", async () => {
  const bot = await startDiscordHarness();
  try {
    expect(bot.discord.commandNames()).toEqual(discordCommands("").map((command) => command.name));
  } finally {
    await bot.close();
  }
});

test("REGISTER_COMMANDS=0 leaves Discord's commands alone", async () => {
  const bot = await startDiscordHarness({ env: { REGISTER_COMMANDS: "0" } });
  try {
    expect(commandRequests(bot.discord)).toEqual([]);
  } finally {
    await bot.close();
  }
});
