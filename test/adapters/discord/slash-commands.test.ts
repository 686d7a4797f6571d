// End to end: slash commands through the real discord.js, the real core and the fake provider.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { scriptedError } from "../../support/fake-aimlapi.ts";
import { type FakeInteraction, type FakeMessage, fenceCount } from "../../support/fake-discord.ts";
import { type DiscordHarness, startDiscordHarness, transcript } from "./harness.ts";

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

/** Waits until the interaction's visible messages satisfy `done`, then gives the renderer time to settle. */
async function repliesWhen(
  interaction: FakeInteraction,
  done: (messages: FakeMessage[]) => boolean,
): Promise<FakeMessage[]> {
  return bot.discord.waitFor(`/${interaction.command} reply`, () => {
    const messages = bot.discord.repliesTo(interaction);
    return messages.length > 0 && done(messages) ? messages : undefined;
  });
}

/** The reply's text once it contains `expected`. */
async function replyContaining(interaction: FakeInteraction, expected: string): Promise<string> {
  const messages = await repliesWhen(interaction, (all) =>
    all.some((message) => message.content.includes(expected)),
  );
  return messages.map((message) => message.content).join("\n");
}

const lastChatRequest = () => {
  const requests = bot.ai.chatRequests();
  const last = requests.at(-1);
  if (!last) throw new Error("no chat request reached the provider");
  return last;
};

describe("each command", () => {
  test("/ask answers in the deferred reply, with the chosen model", async () => {
    const interaction = bot.discord.sendCommand("ask", { prompt: "What is 2+2?", model: "gpt-4o-mini" });
    const text = await replyContaining(interaction, "*Model: gpt-4o-mini-2025-01-01*");
    expect(text).toBe("Echo: Alice: What is 2+2?\n\n*Model: gpt-4o-mini-2025-01-01*");
    expect(interaction.callbackBody).toEqual({ type: 5 });
    expect(lastChatRequest().model).toBe("gpt-4o-mini");
  });

  test("/search asks the search model", async () => {
    const interaction = bot.discord.sendCommand("search", { query: "discord rate limits" });
    await replyContaining(interaction, "discord rate limits");
    expect(lastChatRequest().model).toBe(bot.parley.config.models.search);
  });

  test("/reason passes the effort to the reasoning model", async () => {
    const interaction = bot.discord.sendCommand("reason", { prompt: "Is 91 prime?", effort: "high" });
    await replyContaining(interaction, "Is 91 prime?");
    expect(lastChatRequest()).toMatchObject({
      model: bot.parley.config.models.reason,
      reasoning_effort: "high",
    });
  });

  test("/model in a thread sets the thread's model for the next /ask, and shows it", async () => {
    const channel = bot.discord.addThread("model test", bot.discord.textChannel);
    const set = bot.discord.sendCommand("model", { name: "gpt-4o-mini" }, { channel });
    expect(await replyContaining(set, "gpt-4o-mini")).toMatch(/gpt-4o-mini/);
    const show = bot.discord.sendCommand("model", {}, { channel });
    expect(await replyContaining(show, "gpt-4o-mini")).toMatch(
      /The chat model of this thread is `gpt-4o-mini`/,
    );
    const ask = bot.discord.sendCommand("ask", { prompt: "which model?" }, { channel });
    await replyContaining(ask, "which model?");
    expect(lastChatRequest().model).toBe("gpt-4o-mini");
    // The registry makes /model private, as it is on Slack; the answer to /ask is the thread's.
    expect(set.callbackBody).toEqual({ type: 5, data: { flags: 64 } });
    expect(bot.discord.repliesTo(show)[0]?.ephemeral).toBe(true);
    expect(bot.discord.repliesTo(ask)[0]?.ephemeral).toBeFalsy();
  });

  test("/reset forgets the conversation: the next /ask carries no history", async () => {
    const channel = bot.discord.addThread("reset test", bot.discord.textChannel);
    await replyContaining(
      bot.discord.sendCommand("ask", { prompt: "remember the word kiwi" }, { channel }),
      "kiwi",
    );
    await replyContaining(
      bot.discord.sendCommand("ask", { prompt: "what word?" }, { channel }),
      "what word?",
    );
    expect(transcript(lastChatRequest()).join("\n")).toContain("kiwi");
    const reset = bot.discord.sendCommand("reset", {}, { channel });
    expect(await replyContaining(reset, "forgot")).toMatch(/forgot this conversation/);
    expect(bot.discord.repliesTo(reset)[0]?.ephemeral).toBe(true);
    await replyContaining(
      bot.discord.sendCommand("ask", { prompt: "fresh start" }, { channel }),
      "fresh start",
    );
    expect(transcript(lastChatRequest()).join("\n")).not.toContain("kiwi");
  });

  test("/usage answers privately with the totals", async () => {
    const interaction = bot.discord.sendCommand("usage");
    const text = await replyContaining(interaction, "Usage");
    expect(text).toMatch(/tokens/);
    expect(interaction.callbackBody).toEqual({ type: 5, data: { flags: 64 } });
    expect(bot.discord.repliesTo(interaction)[0]?.ephemeral).toBe(true);
  });

  test("/help lists every command, privately", async () => {
    const interaction = bot.discord.sendCommand("help");
    const text = await replyContaining(interaction, "/help");
    for (const name of ["ask", "search", "reason", "model", "reset", "usage", "help"])
      expect(text).toContain(`/${name}`);
    expect(bot.discord.repliesTo(interaction)[0]?.ephemeral).toBe(true);
  });

  test("model autocomplete suggests the allowed models that match", async () => {
    const interaction = bot.discord.sendAutocomplete("ask", { name: "model", value: "MINI" });
    const body = await bot.discord.waitFor("autocomplete", () => interaction.callbackBody);
    const choices = (body.data as { choices: { name: string; value: string }[] }).choices;
    expect(body.type).toBe(8);
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.map((choice) => choice.value)).toEqual(
      bot.parley.engine.allowedModels().filter((model) => model.toLowerCase().includes("mini")),
    );
  });
});

describe("streaming and limits", () => {
  test("a first token after 3.3 s: the deferral still went out within 3 s, then the text", async () => {
    bot.ai.enqueue({ text: "Slow but sure.", firstChunkDelayMs: 3300 });
    const interaction = bot.discord.sendCommand("ask", { prompt: "take your time" });
    await replyContaining(interaction, "Slow but sure.");
    expect(interaction.callbackAtMs).toBeDefined();
    expect((interaction.callbackAtMs ?? Number.POSITIVE_INFINITY) - interaction.dispatchedAtMs).toBeLessThan(
      3000,
    );
  });

  test("a 4,500-character answer with a code block across a split: 3 messages, fences balanced and reopened", async () => {
    const prose = "This paragraph explains the idea in plain words. ".repeat(30).trim(); // ~1,500
    const code = Array.from(
      { length: 60 },
      (_, index) => `const value${index} = compute(${index}); // step`,
    ).join("\n");
    const answer = `${prose}\n\n\`\`\`ts\n${code}\n\`\`\`\n\n${prose}\n\nThe end.`;
    expect(answer.length).toBeGreaterThan(4300);
    bot.ai.enqueue({ text: answer, chunkSize: 300 });
    const interaction = bot.discord.sendCommand("ask", { prompt: "explain with code" });
    const messages = await repliesWhen(
      interaction,
      (all) => all.at(-1)?.content.endsWith("The end.\n\n*Model: gpt-4.1-mini-2025-04-14*") === true,
    );
    expect(messages).toHaveLength(3);
    for (const message of messages) {
      expect(message.content.length).toBeLessThanOrEqual(2000);
      expect(fenceCount(message.content) % 2).toBe(0);
    }
    // The block crossed a split: a continuation reopens it with its language, after a message that held code too.
    const reopened = messages.findIndex(
      (message, index) =>
        index > 0 &&
        message.content.startsWith("```ts\nconst value") &&
        messages[index - 1]?.content.includes("const value"),
    );
    expect(reopened).toBeGreaterThan(0);
    // Follow-ups carry the continuation: the first message is the deferred reply, the others are new messages.
    const followUps = bot.discord.requests.filter(
      (request) =>
        request.path.startsWith(`/webhooks/${bot.discord.applicationId}/${interaction.token}`) &&
        request.method === "POST",
    );
    expect(followUps).toHaveLength(2);
  });

  test("@everyone, @here, role and user mentions in model output ping nobody", async () => {
    const roleMention = "<@&123456789012345678>";
    bot.ai.enqueue({
      text: `Heads up @everyone and @here: ${roleMention} and <@${bot.discord.users.bob.id}> should look.`,
    });
    const interaction = bot.discord.sendCommand("ask", { prompt: "announce it" });
    await replyContaining(interaction, roleMention);
    const bodies = bot.discord.messageBodies();
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) expect(body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(bot.discord.pings()).toEqual([]);
  });

  test("an edit a second never comes sooner than Discord allows (no 429)", async () => {
    // About 3.5 s of streaming: several edits, each about a second after the one before.
    bot.ai.enqueue({ text: "word ".repeat(200), chunkSize: 10, chunkDelayMs: 35 });
    const interaction = bot.discord.sendCommand("ask", { prompt: "stream slowly" });
    const [message] = await repliesWhen(
      interaction,
      (all) => all[0]?.content === `${"word ".repeat(200).trim()}\n\n*Model: gpt-4.1-mini-2025-04-14*`,
    );
    const edits = message?.edits ?? [];
    expect(edits.length).toBeGreaterThanOrEqual(3);
    const gapsMs = edits.slice(1).map((at, index) => at - (edits[index] ?? 0));
    // Arrival times jitter by a few milliseconds on loopback; the bot spaces its edits 1000 ms apart.
    expect(Math.min(...gapsMs)).toBeGreaterThanOrEqual(950);
    expect(bot.discord.rateLimited).toEqual([]);
  });
});

describe("errors", () => {
  test("a provider error shows a short private message, never 'did not respond'", async () => {
    bot.ai.enqueue(scriptedError(401, "This request requires a valid API key."));
    const interaction = bot.discord.sendCommand("ask", { prompt: "will fail" });
    const [message] = await repliesWhen(interaction, (all) => all.some((candidate) => candidate.ephemeral));
    expect(message?.ephemeral).toBe(true);
    expect(message?.content.length).toBeGreaterThan(0);
    expect(message?.content.length).toBeLessThan(400);
    expect(message?.content).not.toMatch(/did not respond/i);
    expect(interaction.originalDeleted).toBe(true);
    // Acknowledged in time, so Discord never shows its own "The application did not respond".
    expect((interaction.callbackAtMs ?? Number.POSITIVE_INFINITY) - interaction.dispatchedAtMs).toBeLessThan(
      3000,
    );
  });

  test("an interaction older than 15 minutes answers in the channel instead", async () => {
    bot.skewClock(16 * 60_000);
    try {
      const before = bot.discord.messagesIn(bot.discord.textChannel.id).length;
      const interaction = bot.discord.sendCommand("ask", { prompt: "late answer" });
      const posted = await bot.discord.waitFor("channel message", () =>
        bot.discord
          .messagesIn(bot.discord.textChannel.id)
          .slice(before)
          .find(
            (message) =>
              message.interactionId === undefined &&
              message.content.startsWith("Echo: Alice: late answer\n\n"),
          ),
      );
      expect(posted.content).toBe("Echo: Alice: late answer\n\n*Model: gpt-4.1-mini-2025-04-14*");
      expect(interaction.callbackAtMs).toBeDefined();
      expect(
        bot.discord.requests.some(
          (request) => request.path.includes(interaction.token) && request.method === "PATCH",
        ),
      ).toBe(false);
    } finally {
      bot.skewClock(0);
    }
  });

  test("logs hold neither the bot token nor interaction tokens, and no handler failed", () => {
    const logs = bot.logLines.join("\n");
    expect(logs).not.toContain(bot.discord.token);
    expect(logs).not.toContain("interaction-token-");
    expect(logs).not.toMatch(/"level":50/);
  });
});
