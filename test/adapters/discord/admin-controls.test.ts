// End to end on Discord: /settings by admins and others, limits refused before the provider, and the allow-lists.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CHANNEL_NOT_ALLOWED, USER_NOT_ALLOWED } from "../../../src/policy/access.ts";
import { NOT_ADMIN_MESSAGE, useTheSettingsCommand } from "../../../src/policy/admins.ts";
import type { FakeInteraction, FakeMessage, FakeUser } from "../../support/fake-discord.ts";
import { MANAGE_SERVER_PERMISSIONS, snowflake } from "../../support/fake-discord-payloads.ts";
import { type DiscordHarness, startDiscordHarness } from "./harness.ts";

/** Waits for an interaction's reply to contain `expected`; returns its messages. */
async function replyContaining(
  bot: DiscordHarness,
  interaction: FakeInteraction,
  expected: string,
): Promise<FakeMessage[]> {
  return bot.discord.waitFor(`/${interaction.command} reply containing "${expected}"`, () => {
    const messages = bot.discord.repliesTo(interaction);
    return messages.some((message) => message.content.includes(expected)) ? messages : undefined;
  });
}

/** How many turns have logged "turn finished" (their answer slot is free by then). */
const turnsFinished = (bot: DiscordHarness) =>
  bot.logLines.filter((line) => line.includes('"msg":"turn finished"')).length;

/** Runs an /ask to its end: its reply shown and its turn finished. */
async function askToTheEnd(bot: DiscordHarness, prompt: string, user: FakeUser): Promise<void> {
  const finished = turnsFinished(bot);
  await replyContaining(bot, bot.discord.sendCommand("ask", { prompt }, { user }), prompt);
  await bot.discord.waitFor("the turn to finish", () => turnsFinished(bot) > finished);
}

/** A member the fake does not know yet. */
const member = (name: string): FakeUser => ({ id: snowflake(), username: name, global_name: name });

describe("/settings on Discord", () => {
  let bot: DiscordHarness;
  beforeAll(async () => {
    bot = await startDiscordHarness();
  });
  afterAll(async () => {
    expect(bot.discord.violations).toEqual([]);
    await bot?.close();
  });

  test("a Manage Server member sets the channel's prompt; the next /ask carries it to the provider", async () => {
    const set = bot.discord.sendCommand(
      "settings",
      { text: "You are a terse pirate." },
      { subcommand: "prompt", permissions: MANAGE_SERVER_PERMISSIONS },
    );
    const [confirmation] = await replyContaining(bot, set, "now use this system prompt");
    expect(confirmation?.ephemeral).toBe(true);
    expect(confirmation?.content).toContain("> You are a terse pirate.");
    expect(set.callbackBody).toEqual({ type: 5, data: { flags: 64 } });

    const ask = bot.discord.sendCommand("ask", { prompt: "Where is the gold?" });
    await replyContaining(bot, ask, "Where is the gold?");
    const request = bot.ai.chatRequests().at(-1);
    expect(request?.messages[0]).toEqual({ role: "system", content: "You are a terse pirate." });
    const logged = bot.logLines
      .map((line) => JSON.parse(line))
      .find((line) => line.msg === "channel setting changed");
    expect(logged).toMatchObject({ setting: "prompt", by: `discord:${bot.discord.users.alice.id}` });
  });

  test("anyone else is refused privately and nothing changes; anyone may look", async () => {
    const bob = bot.discord.users.bob;
    const refused = bot.discord.sendCommand(
      "settings",
      { text: "You are a cat." },
      { subcommand: "prompt", user: bob },
    );
    const [refusal] = await replyContaining(bot, refused, NOT_ADMIN_MESSAGE);
    expect(refusal?.ephemeral).toBe(true);

    const look = bot.discord.sendCommand("settings", {}, { subcommand: "show", user: bob });
    const [shown] = await replyContaining(bot, look, "Settings of this channel");
    expect(shown?.content).toContain("> You are a terse pirate.");
    expect(shown?.ephemeral).toBe(true);

    const help = bot.discord.sendCommand("help", {}, { user: bob });
    expect((await replyContaining(bot, help, "System prompt here"))[0]?.content).toContain(
      "System prompt here (this channel's):\n> You are a terse pirate.",
    );
  });

  test("a settings change written in a message is sent to the slash command, which knows the member's permissions", async () => {
    const sent = bot.discord.sendMessage({
      content: `<@${bot.discord.bot.id}> /settings prompt You are a dog.`,
    });
    const reply = await bot.discord.waitFor("the reply in the mention's thread", () =>
      bot.discord.messagesIn(sent.id).find((message) => message.content.length > 0),
    );
    expect(reply.content).toBe(useTheSettingsCommand("/settings"));
    const ask = bot.discord.sendCommand("ask", { prompt: "Who are you?" });
    await replyContaining(bot, ask, "Who are you?");
    expect(bot.ai.chatRequests().at(-1)?.messages[0]?.content).not.toContain("dog");
  });

  test("sets the channel's search model, and forgets a person picked from the member list", async () => {
    const set = bot.discord.sendCommand(
      "settings",
      { command: "search", model: "perplexity/sonar" },
      { subcommand: "model", permissions: MANAGE_SERVER_PERMISSIONS },
    );
    await replyContaining(bot, set, "/search in this channel now uses `perplexity/sonar`");
    const search = bot.discord.sendCommand("search", { query: "tides" });
    await replyContaining(bot, search, "tides");
    expect(bot.ai.chatRequests().at(-1)?.model).toBe("perplexity/sonar");

    const forget = bot.discord.sendCommand(
      "settings",
      { user: bot.discord.users.alice.id },
      { subcommand: "forget", permissions: MANAGE_SERVER_PERMISSIONS, userOptions: ["user"] },
    );
    await replyContaining(bot, forget, `Forgot ${bot.discord.users.alice.id} in this workspace`);
  });
});

describe("limits on Discord", () => {
  let bot: DiscordHarness;
  beforeAll(async () => {
    bot = await startDiscordHarness({
      env: { LIMIT_USER_DAILY_TOKENS: "100", LIMIT_USER_TURNS_PER_MINUTE: "2", LIMIT_USER_CONCURRENT: "1" },
    });
  });
  afterAll(async () => {
    expect(bot.discord.violations).toEqual([]);
    await bot?.close();
  });

  test("a user over the daily limit is refused privately with the reset time; the provider is not called", async () => {
    const ada = member("ada");
    bot.ai.enqueue({ usage: { prompt_tokens: 90, completion_tokens: 30 } });
    await askToTheEnd(bot, "big question", ada);
    const before = bot.ai.chatRequests().length;
    const refused = bot.discord.sendCommand("ask", { prompt: "one more" }, { user: ada });
    const [refusal] = await replyContaining(
      bot,
      refused,
      "Your daily limit of 100 tokens is used up (120 used today)",
    );
    expect(refusal?.content).toMatch(/it resets at 00:00 UTC \(in (\d+ h|\d+ h \d+ min|\d+ min|\d+ s)\)\.$/);
    expect(refusal?.ephemeral).toBe(true);
    // The public "thinking…" reply was removed: the channel sees nothing.
    expect(refused.originalDeleted).toBe(true);
    expect(bot.ai.chatRequests()).toHaveLength(before);
  });

  test("the rate limit: a third /ask within a minute is refused", async () => {
    const rex = member("rex");
    // Small answers: the daily limit of this file's bot stays far off.
    bot.ai.enqueue(
      { usage: { prompt_tokens: 5, completion_tokens: 5 } },
      { usage: { prompt_tokens: 5, completion_tokens: 5 } },
    );
    for (const prompt of ["first", "second"]) await askToTheEnd(bot, prompt, rex);
    const third = bot.discord.sendCommand("ask", { prompt: "third" }, { user: rex });
    await replyContaining(bot, third, "Your limit of 2 questions a minute is reached (2 in the last minute)");
  });

  test("the concurrency limit: a second answer while one is being written is refused", async () => {
    const sam = member("sam");
    bot.ai.enqueue({
      text: "a slow and careful answer",
      chunkSize: 2,
      chunkDelayMs: 60,
      usage: { prompt_tokens: 5, completion_tokens: 5 },
    });
    const slow = bot.discord.sendCommand("ask", { prompt: "slow" }, { user: sam });
    await bot.discord.waitFor("the slow answer to start", () =>
      bot.discord.repliesTo(slow).some((message) => message.content.length > 0),
    );
    const meanwhile = bot.discord.sendCommand(
      "ask",
      { prompt: "meanwhile" },
      { user: sam, channel: bot.discord.addThread("elsewhere", bot.discord.textChannel) },
    );
    await replyContaining(bot, meanwhile, "Your limit of 1 answer at a time is reached (1 being written)");
    await replyContaining(bot, slow, "a slow and careful answer");
  });
});

describe("allow-lists on Discord", () => {
  let bot: DiscordHarness;
  const ROLE = "1800000000000000001";
  beforeAll(async () => {
    bot = await startDiscordHarness({
      env: (discord) => ({ ALLOW_CHANNELS: discord.textChannel.id, ALLOW_ROLES: ROLE }),
    });
  });
  afterAll(async () => {
    expect(bot.discord.violations).toEqual([]);
    await bot?.close();
  });

  test("answers members of an allowed role in an allowed channel, and its threads", async () => {
    const ask = bot.discord.sendCommand("ask", { prompt: "allowed?" }, { roles: [ROLE] });
    await replyContaining(bot, ask, "Echo: Alice: allowed?");
    const { id } = bot.discord.sendMessage({
      content: `<@${bot.discord.bot.id}> in a thread?`,
      roles: [ROLE],
    });
    await bot.discord.waitFor("the thread's answer", () =>
      bot.discord
        .messagesIn(id)
        .some(
          (message) => message.content === "Echo: Alice: in a thread?\n\n*Model: gpt-4.1-mini-2025-04-14*",
        ),
    );
  });

  test("refuses a command outside the lists privately, and ignores such a mention", async () => {
    const before = bot.ai.chatRequests().length;
    const noRole = bot.discord.sendCommand("ask", { prompt: "me?" });
    const [refusal] = await replyContaining(bot, noRole, USER_NOT_ALLOWED);
    expect(refusal?.ephemeral).toBe(true);
    expect(noRole.callbackBody).toEqual({ type: 5, data: { flags: 64 } });
    const forum = bot.discord.addThread("a forum post");
    const elsewhere = bot.discord.sendCommand("ask", { prompt: "here?" }, { channel: forum, roles: [ROLE] });
    await replyContaining(bot, elsewhere, CHANNEL_NOT_ALLOWED);

    const ignored = bot.discord.sendMessage({ content: `<@${bot.discord.bot.id}> hello?` });
    const answered = bot.discord.sendMessage({ content: `<@${bot.discord.bot.id}> and me?`, roles: [ROLE] });
    await bot.discord.waitFor("the allowed mention's answer", () =>
      bot.discord.messagesIn(answered.id).some((message) => message.content.includes("and me?")),
    );
    expect(bot.discord.messagesIn(ignored.id)).toEqual([]);
    expect(bot.discord.requests.filter((request) => request.path.includes(ignored.id))).toEqual([]);
    expect(bot.ai.chatRequests().length).toBe(before + 1);
  });
});

describe("/settings written in a message by an ADMIN_USERS member", () => {
  let bot: DiscordHarness;
  beforeAll(async () => {
    bot = await startDiscordHarness({
      env: (discord) => ({ ADMIN_USERS: `discord:${discord.users.bob.id}` }),
    });
  });
  afterAll(async () => {
    expect(bot.discord.violations).toEqual([]);
    await bot?.close();
  });

  test("forgets the member the message mentions, by id, not by the name the mention reads as", async () => {
    const { alice, bob } = bot.discord.users;
    const question = bot.discord.sendMessage({
      content: `<@${bot.discord.bot.id}> What is the tallest tree?`,
      author: alice,
    });
    await bot.discord.waitFor("Alice's answer", () =>
      bot.discord.messagesIn(question.id).find((message) => message.content.includes("tallest tree")),
    );
    await bot.discord.waitFor("Alice's turn to finish", () =>
      bot.logLines.some((line) => line.includes('"msg":"turn finished"')),
    );
    const order = bot.discord.sendMessage({
      content: `<@${bot.discord.bot.id}> /settings forget <@${alice.id}>`,
      author: bob,
    });
    const reply = await bot.discord.waitFor("the reply to the forget order", () =>
      bot.discord.messagesIn(order.id).find((message) => message.content.startsWith("Forgot")),
    );
    expect(reply.content).toContain(
      `Forgot ${alice.id} in this workspace: deleted 1 conversation they started`,
    );
  });
});
