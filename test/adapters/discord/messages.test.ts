// End to end: mentions, threads, replies, DMs and attachments through the real discord.js and the real core.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { FakeChannel, FakeMessage } from "../../support/fake-discord.ts";
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

const mention = () => `<@${bot.discord.bot.id}>`;

/** The last line of an answer from the default chat model (the fake provider names it without its vendor). */
const CHAT_MODEL_LINE = "*Model: gpt-4.1-mini-2025-04-14*";

/** The bot's message in a channel that shows `text`, once the answer is finished (its model line shows). */
function answerIn(channelId: string, text: string): Promise<FakeMessage> {
  return bot.discord.waitFor(`a finished answer containing "${text}" in ${channelId}`, () => {
    const messages = bot.discord.messagesIn(channelId);
    const index = messages.findIndex((message) => message.content.includes(text));
    if (index === -1) return undefined;
    // A long answer continues in later messages; the last one ends with the model line.
    const finished = messages.slice(index).some((message) => message.content.includes("*Model: "));
    return finished ? messages[index] : undefined;
  });
}

function lastTranscript(): string[] {
  const last = bot.ai.chatRequests().at(-1);
  if (!last) throw new Error("no chat request reached the provider");
  return transcript(last);
}

/** Index of the first line containing `text`, for order checks. */
function lineOf(lines: string[], text: string): number {
  return lines.findIndex((line) => line.includes(text));
}

describe("a mention opens a thread, and the thread continues without mentions", () => {
  let thread: FakeChannel;

  test("the mention opens a thread named from the prompt and the answer streams inside it", async () => {
    bot.ai.enqueue({ firstChunkDelayMs: 300 });
    const sent = bot.discord.sendMessage({ content: `${mention()} What is a monad?` });
    const answer = await answerIn(sent.id, "What is a monad?");
    expect(answer.content).toBe(`Echo: Alice: What is a monad?\n\n${CHAT_MODEL_LINE}`);
    const opened = bot.discord.requests.find(
      (request) => request.template === "/channels/{channel_id}/messages/{message_id}/threads",
    );
    expect(opened?.path).toBe(`/channels/${bot.discord.textChannel.id}/messages/${sent.id}/threads`);
    expect(opened?.body).toEqual({ name: "What is a monad?" });
    thread = bot.discord.channel(sent.id) as FakeChannel;
    expect(thread.parent_id).toBe(bot.discord.textChannel.id);
    // The mention itself never reaches the model.
    expect(lastTranscript().join("\n")).not.toContain("<@");
    // Typing showed in the thread before the first text.
    const typing = bot.discord.requests.find((request) => request.path === `/channels/${sent.id}/typing`);
    expect(typing?.atMs).toBeLessThanOrEqual(answer.createdAtMs);
  });

  test("a follow-up without a mention continues, and the provider sees the earlier exchange", async () => {
    const sent = bot.discord.sendMessage({ channel: thread, content: "And in Haskell?" });
    const answer = await answerIn(thread.id, "And in Haskell?");
    expect(answer.replyTo).toBe(sent.id);
    const lines = lastTranscript();
    expect(lineOf(lines, "user: Alice: What is a monad?")).toBeGreaterThanOrEqual(0);
    expect(lineOf(lines, "assistant: Echo: Alice: What is a monad?")).toBeGreaterThan(
      lineOf(lines, "What is a monad?"),
    );
    expect(lineOf(lines, "And in Haskell?")).toBeGreaterThan(
      lineOf(lines, "assistant: Echo: Alice: What is a monad?"),
    );
  });

  test("two messages at once in the thread: both answered, both kept in history in order", async () => {
    const first = bot.discord.sendMessage({
      channel: thread,
      content: "first of two",
      author: bot.discord.users.alice,
    });
    const second = bot.discord.sendMessage({
      channel: thread,
      content: "second of two",
      author: bot.discord.users.bob,
    });
    const answers = await bot.discord.waitFor("both answers", () => {
      const found = [first.id, second.id].map((id) =>
        bot.discord
          .messagesIn(thread.id)
          .find((message) => message.replyTo === id && message.content.endsWith(CHAT_MODEL_LINE)),
      );
      return found.every(Boolean) ? found : undefined;
    });
    expect(answers.map((answer) => answer?.content)).toEqual([
      `Echo: Alice: first of two\n\n${CHAT_MODEL_LINE}`,
      `Echo: Bob: second of two\n\n${CHAT_MODEL_LINE}`,
    ]);
    bot.discord.sendMessage({ channel: thread, content: "third" });
    await answerIn(thread.id, "Alice: third");
    const lines = lastTranscript();
    const order = [
      "Alice: first of two",
      "Echo: Alice: first of two",
      "Bob: second of two",
      "Echo: Bob: second of two",
      "Alice: third",
    ];
    const positions = order.map((text) => lineOf(lines, text));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  test("an answer over 2,000 characters continues in further thread messages", async () => {
    const answer = `${"A sentence that takes some room on the screen. ".repeat(90)}Finished.`;
    bot.ai.enqueue({ text: answer, chunkSize: 500 });
    const before = bot.discord.messagesIn(thread.id).length;
    bot.discord.sendMessage({ channel: thread, content: "a long one please" });
    await answerIn(thread.id, `Finished.\n\n${CHAT_MODEL_LINE}`);
    const posted = bot.discord.messagesIn(thread.id).slice(before);
    expect(posted).toHaveLength(3);
    for (const message of posted) expect(message.content.length).toBeLessThanOrEqual(2000);
    expect(posted[2]?.content.endsWith(`Finished.\n\n${CHAT_MODEL_LINE}`)).toBe(true);
    // Only the first message answers the user's; the others simply continue.
    expect(posted.map((message) => message.replyTo === undefined)).toEqual([false, true, true]);
    expect(
      posted
        .map((message) => message.content)
        .join("")
        .replace(/\s+/g, ""),
    ).toBe(`${answer}${CHAT_MODEL_LINE}`.replace(/\s+/g, ""));
  });
});

test("a reply to the bot's message in a channel continues that conversation in place", async () => {
  const interaction = bot.discord.sendCommand("ask", { prompt: "Pick a colour" });
  const original = await bot.discord.waitFor("the /ask reply", () =>
    bot.discord.repliesTo(interaction).find((message) => message.content.includes("Pick a colour")),
  );
  const sent = bot.discord.sendMessage({ content: "why that one?", replyTo: original });
  const answer = await answerIn(bot.discord.textChannel.id, "why that one?");
  expect(answer.replyTo).toBe(sent.id);
  expect(bot.discord.channel(sent.id)).toBeUndefined();
  expect(lastTranscript().join("\n")).toContain("Pick a colour");
});

test("in a thread parley has no conversation in, only a mention gets an answer, in place", async () => {
  const post = bot.discord.addThread("Forum post about deploys");
  const requestsBefore = bot.ai.chatRequests().length;
  bot.discord.sendMessage({ channel: post, content: "anyone around?" });
  const asked = bot.discord.sendMessage({ channel: post, content: `${mention()} how do I deploy?` });
  const answer = await answerIn(post.id, "how do I deploy?");
  expect(answer.replyTo).toBe(asked.id);
  expect(bot.ai.chatRequests().length).toBe(requestsBefore + 1);
  expect(bot.discord.messagesIn(post.id)).toHaveLength(1);
});

test("messages from bots, parley included, are ignored", async () => {
  const requestsBefore = bot.ai.chatRequests().length;
  const fromBot = bot.discord.sendMessage({
    author: bot.discord.users.otherBot,
    content: `${mention()} hello from a bot`,
  });
  bot.discord.sendMessage({ content: `${mention()} hello from a human` });
  await bot.discord.waitFor("the human's answer", () =>
    bot.discord.messageBodies().some((body) => String(body.content).includes("hello from a human")),
  );
  expect(bot.ai.chatRequests().length).toBe(requestsBefore + 1);
  expect(bot.discord.channel(fromBot.id)).toBeUndefined();
});

test("in a DM every message is a turn of one conversation", async () => {
  const dm = bot.discord.dmChannel();
  bot.discord.sendMessage({ channel: dm, content: "hello in private" });
  await answerIn(dm.id, "hello in private");
  bot.discord.sendMessage({ channel: dm, content: "still there?" });
  await answerIn(dm.id, "still there?");
  expect(lastTranscript().join("\n")).toContain("hello in private");
});

test("a text attachment on a mention reaches the model", async () => {
  const sent = bot.discord.sendMessage({
    content: `${mention()} what does the file say?`,
    attachments: [
      {
        filename: "notes.txt",
        contentType: "text/plain; charset=utf-8",
        data: "The secret word is pineapple.",
      },
    ],
  });
  await answerIn(sent.id, "what does the file say?");
  expect(lastTranscript().join("\n")).toContain("pineapple");
});

describe("when Discord refuses", () => {
  test("a thread that cannot be opened: the answer comes in the channel, replying to the message", async () => {
    bot.discord.failNext(
      "POST /channels/{channel_id}/messages/{message_id}/threads",
      403,
      50013,
      "Missing Permissions",
    );
    const sent = bot.discord.sendMessage({ content: `${mention()} no threads here? Remember 42.` });
    const answer = await answerIn(bot.discord.textChannel.id, "no threads here?");
    expect(answer.replyTo).toBe(sent.id);
    expect(bot.discord.channel(sent.id)).toBeUndefined();

    // Replying to that answer continues the same conversation: the first exchange was kept where replies look.
    bot.discord.sendMessage({ content: "what number did I say?", replyTo: answer });
    await answerIn(bot.discord.textChannel.id, "what number did I say?");
    const lines = lastTranscript().join("\n");
    expect(lines).toContain("no threads here? Remember 42.");
    expect(lines).toContain("Echo: Alice: no threads here? Remember 42.");
  });

  test("an answer that cannot be posted is logged, and the bot keeps answering", async () => {
    const dm = bot.discord.dmChannel();
    bot.discord.failNext(
      "POST /channels/{channel_id}/messages",
      403,
      50007,
      "Cannot send messages to this user",
    );
    bot.discord.sendMessage({ channel: dm, content: "you cannot answer this" });
    await bot.discord.waitFor("the warning in the log", () =>
      bot.logLines.find((line) => line.includes("discord could not show the whole reply")),
    );
    bot.discord.sendMessage({ channel: dm, content: "but this one" });
    await answerIn(dm.id, "but this one");
  });
});

test("no message pings anyone, and logs hold no token", () => {
  const bodies = bot.discord.messageBodies();
  expect(bodies.length).toBeGreaterThan(10);
  for (const body of bodies) expect(body.allowed_mentions).toEqual({ parse: [], replied_user: false });
  expect(bot.discord.pings()).toEqual([]);
  const logs = bot.logLines.join("\n");
  expect(logs).not.toContain(bot.discord.token);
  expect(logs).not.toMatch(/"level":50/);
});
