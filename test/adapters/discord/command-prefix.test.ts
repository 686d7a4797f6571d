// COMMAND_PREFIX on Discord: the commands are registered, answered and named with the prefix.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { discordCommands } from "../../../adapters/discord/commands.ts";
import type { FakeInteraction } from "../../support/fake-discord.ts";
import { type DiscordHarness, startDiscordHarness } from "./harness.ts";

let bot: DiscordHarness;

beforeAll(async () => {
  bot = await startDiscordHarness({
    env: (discord) => ({ REGISTER_COMMANDS: "1", DISCORD_GUILD_ID: discord.guildId, COMMAND_PREFIX: "ai-" }),
  });
});
afterAll(async () => {
  await bot?.close();
});
afterEach(() => {
  expect(bot.discord.violations).toEqual([]);
});

/** The reply's text once it contains `expected`. */
async function replyContaining(interaction: FakeInteraction, expected: string): Promise<string> {
  return bot.discord.waitFor(`/${interaction.command} reply`, () => {
    const text = bot.discord
      .repliesTo(interaction)
      .map((message) => message.content)
      .join("\n");
    return text.includes(expected) ? text : undefined;
  });
}

describe("with COMMAND_PREFIX=ai-", () => {
  test("registers every command under its prefixed name", () => {
    const registered = bot.discord.commandRegistrations.at(-1)?.commands as { name: string }[];
    expect(registered.map((command) => command.name)).toEqual([
      "ai-ask",
      "ai-search",
      "ai-reason",
      "ai-model",
      "ai-reset",
      "ai-usage",
      "ai-help",
      "ai-settings",
      // Message commands (a message's Apps menu) keep their titles.
      "Explain",
      "Summarize",
      "Translate to English",
    ]);
    expect(registered).toEqual(discordCommands("ai-"));
  });

  test("/ai-ask answers, and its model option autocompletes", async () => {
    const ask = bot.discord.sendCommand("ai-ask", { prompt: "What is 2+2?", model: "gpt-4o-mini" });
    expect(await replyContaining(ask, "2+2")).toBe(
      "Echo: Alice: What is 2+2?\n\n*Model: gpt-4o-mini-2025-01-01*",
    );
    expect(bot.ai.chatRequests().at(-1)?.model).toBe("gpt-4o-mini");
    const typing = bot.discord.sendAutocomplete("ai-ask", { name: "model", value: "mini" });
    const body = await bot.discord.waitFor("autocomplete", () => typing.callbackBody);
    expect((body.data as { choices: { value: string }[] }).choices.map((choice) => choice.value)).toContain(
      "gpt-4o-mini",
    );
  });

  test("/ai-help and /ai-model name the commands as they are typed here", async () => {
    const help = await replyContaining(bot.discord.sendCommand("ai-help"), "/ai-help");
    for (const name of ["ask", "search", "reason", "model", "reset", "usage", "help"])
      expect(help).toContain(`/ai-${name}`);
    const model = await replyContaining(bot.discord.sendCommand("ai-model"), "Change it with");
    expect(model).toContain("Change it with `/ai-model <name>`.");
    expect(model).toContain("(/ai-search and /ai-reason use their own)");
  });

  test("an unprefixed name is not parley's", async () => {
    const interaction = bot.discord.sendCommand("ask", { prompt: "hello?" });
    await bot.discord.waitFor("the refusal", () => interaction.callbackBody);
    expect(interaction.callbackBody).toMatchObject({
      type: 4,
      data: { content: "parley does not know this command.", flags: 64 },
    });
  });
});
