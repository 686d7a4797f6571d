// End to end: installed to a person's account, parley's commands work in DMs and group DMs it is not part of.
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { type DiscordHarness, startDiscordHarness } from "./harness.ts";

let bot: DiscordHarness;

beforeAll(async () => {
  bot = await startDiscordHarness();
});
afterAll(async () => {
  await bot?.close();
});
afterEach(() => {
  expect(bot.discord.violations).toEqual([]);
});

test("installed to a user's account, /ask answers in a group DM the bot is not part of", async () => {
  const groupDm = { id: "1234567890123456789", type: 3 };
  const interaction = bot.discord.sendCommand(
    "ask",
    { prompt: "pick a film for tonight" },
    { channel: groupDm },
  );
  const reply = await bot.discord.waitFor("the group DM answer", () =>
    bot.discord.repliesTo(interaction).find((message) => message.content.includes("*Model: ")),
  );
  expect(reply.content).toContain("pick a film for tonight");
  expect(reply.ephemeral).toBeFalsy();
});
