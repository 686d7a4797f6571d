// Two real parley processes on one Redis, one bot token: every turn answered once, no exchange lost or doubled.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeAimlApi, type FakeChatBody, startFakeAimlApi } from "../support/fake-aimlapi.ts";
import { type FakeDiscord, startFakeDiscord } from "../support/fake-discord.ts";
import { type ParleyProcess, startParleyProcess } from "../support/parley-process.ts";
import { startTestRedis, type TestRedis } from "../support/redis-server.ts";

let redis: TestRedis;
let provider: FakeAimlApi;
let discord: FakeDiscord;
const replicas: ParleyProcess[] = [];

/** Starts one replica and waits until its gateway session is identified (so session order is replica order). */
async function startReplica(): Promise<ParleyProcess> {
  const identified = discord.gateway.identifies.length;
  const replica = startParleyProcess({
    AIML_API_KEY: "replica-test-key-0123456789",
    AIML_BASE_URL: provider.url,
    STORE_URL: redis.url,
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
    // Debug lines say when a replica leaves an event to the other: the tests wait for that decision.
    LOG_LEVEL: "debug",
  });
  replicas.push(replica);
  await discord.waitFor(
    "the replica to identify and be ready",
    () => discord.gateway.identifies.length > identified && replica.output().includes("parley is running"),
    20_000,
  );
  return replica;
}

beforeAll(async () => {
  [redis, provider, discord] = await Promise.all([startTestRedis(), startFakeAimlApi(), startFakeDiscord()]);
  await startReplica();
  await startReplica();
}, 60_000);

afterAll(async () => {
  for (const replica of replicas) replica.destroy();
  await Promise.all([discord?.close(), provider?.close(), redis?.close()]);
});

/** The last line of every answer here: the default chat model, as the fake provider names it. */
const MODEL_LINE = "*Model: gpt-4.1-mini-2025-04-14*";

/** The bot's messages in a channel or thread whose text includes `text`. */
const answersWith = (channelId: string, text: string) =>
  discord.messagesIn(channelId).filter((message) => message.content.includes(text));

/** The user and assistant texts the provider received before the current message, in order. */
function historyOf(body: FakeChatBody): { role: string; text: string }[] {
  return body.messages.slice(1, -1).map((message) => ({
    role: String(message.role),
    text: typeof message.content === "string" ? message.content : JSON.stringify(message.content),
  }));
}

/** Opens a conversation with a mention in the text channel and waits for its thread's answer. */
async function openConversation(prompt: string, toSession: number): Promise<string> {
  const { id } = discord.sendMessage({ content: `<@${discord.bot.id}> ${prompt}`, toSession });
  await discord.waitFor(
    `the answer to "${prompt}"`,
    () => answersWith(id, `Echo: Alice: ${prompt}\n\n${MODEL_LINE}`).length > 0,
  );
  return id;
}

describe("two replicas on one Redis", () => {
  it("answers one slash command delivered to both exactly once", async () => {
    const interaction = discord.sendCommand("ask", { prompt: "hello both of you" });
    await discord.waitFor("the answer", () =>
      discord
        .repliesTo(interaction)
        .some((message) => message.content === `Echo: Alice: hello both of you\n\n${MODEL_LINE}`),
    );
    // Wait until the other replica has decided too: it saw the interaction claimed and stayed silent.
    await discord.waitFor("the other replica to leave the interaction", () =>
      replicas.some((replica) =>
        replica
          .logLines()
          .some(
            (line) =>
              line.msg === "event already taken by another process" &&
              line.eventId === `interaction:${interaction.id}`,
          ),
      ),
    );
    const callbacks = discord.requests.filter((request) =>
      request.path.includes(`/interactions/${interaction.id}/`),
    );
    expect(callbacks).toHaveLength(1);
    expect(answersWith(discord.textChannel.id, "hello both of you")).toHaveLength(1);
    expect(discord.violations).toEqual([]);
  }, 30_000);

  it("answers one mention delivered to both once: one thread, one answer, one provider call", async () => {
    const { id } = discord.sendMessage({ content: `<@${discord.bot.id}> which of you answers?` });
    await discord.waitFor("the answer", () =>
      discord
        .messagesIn(id)
        .some((message) => message.content === `Echo: Alice: which of you answers?\n\n${MODEL_LINE}`),
    );
    await discord.waitFor("the other replica to leave the message", () =>
      replicas.some((replica) =>
        replica
          .logLines()
          .some((line) => line.msg === "event already taken by another process" && line.eventId === id),
      ),
    );
    expect(discord.messagesIn(id)).toHaveLength(1);
    const asked = provider
      .chatRequests()
      .filter((body) => JSON.stringify(body.messages.at(-1)).includes("which of you answers?"));
    expect(asked).toHaveLength(1);
    expect(discord.violations).toEqual([]);
  }, 30_000);

  it("keeps all 50 follow-ups sent at once, alternating between replicas, once each and in one order", async () => {
    const thread = await openConversation("let us count", 0);
    const count = 50;
    // Each answer streams for a while, so turns handled by different replicas would overlap if not serialised.
    provider.enqueue(...Array.from({ length: count }, () => ({ chunkSize: 6, chunkDelayMs: 20 })));
    for (let index = 0; index < count; index++) {
      discord.sendMessage({
        channel: discord.channel(thread),
        content: `follow-up ${index}`,
        toSession: index % 2,
      });
    }
    const answersTo = (index: number) =>
      discord
        .messagesIn(thread)
        .filter((message) => message.content === `Echo: Alice: follow-up ${index}\n\n${MODEL_LINE}`);
    await discord.waitFor(
      "every follow-up answered",
      () => Array.from({ length: count }, (_, index) => answersTo(index).length > 0).every(Boolean),
      60_000,
    );
    for (let index = 0; index < count; index++) {
      expect(answersTo(index), `answers to follow-up ${index}`).toHaveLength(1);
    }

    discord.sendMessage({ channel: discord.channel(thread), content: "how many?", toSession: 0 });
    await discord.waitFor(
      "the last answer",
      () => answersWith(thread, `Echo: Alice: how many?\n\n${MODEL_LINE}`).length > 0,
    );
    const lastRequest = provider
      .chatRequests()
      .find((body) => JSON.stringify(body.messages.at(-1)).includes("how many?"));
    expect(lastRequest).toBeDefined();
    const history = historyOf(lastRequest as FakeChatBody);
    // The mention's exchange, then the 50 follow-ups: each user message once, followed by its own answer.
    expect(history).toHaveLength(2 * (count + 1));
    const seen = new Set<string>();
    for (let position = 0; position < history.length; position += 2) {
      const asked = history[position];
      const answered = history[position + 1];
      expect(asked?.role).toBe("user");
      expect(answered?.role).toBe("assistant");
      expect(answered?.text).toBe(`Echo: ${asked?.text}`);
      expect(seen.has(asked?.text ?? "")).toBe(false);
      seen.add(asked?.text ?? "");
    }
    for (let index = 0; index < count; index++) expect(seen.has(`Alice: follow-up ${index}`)).toBe(true);
    expect(discord.violations).toEqual([]);
  }, 120_000);

  it("answers 200 conversations started at once, each once", async () => {
    const conversations = 200;
    const sent = Array.from({ length: conversations }, (_, index) =>
      discord.sendMessage({ content: `<@${discord.bot.id}> question ${index}`, toSession: index % 2 }),
    );
    await discord.waitFor(
      "every conversation answered",
      () =>
        sent.every(({ id }, index) =>
          discord
            .messagesIn(id)
            .some((message) => message.content === `Echo: Alice: question ${index}\n\n${MODEL_LINE}`),
        ),
      90_000,
    );
    sent.forEach(({ id }, index) => {
      const answers = discord.messagesIn(id);
      expect(answers, `thread of question ${index}`).toHaveLength(1);
      expect(answers[0]?.content).toBe(`Echo: Alice: question ${index}\n\n${MODEL_LINE}`);
    });
    expect(discord.violations).toEqual([]);
  }, 150_000);

  it("lets the other replica continue, with the full history, when one is killed mid-answer", async () => {
    const thread = await openConversation("remember the number 7", 0);
    discord.sendMessage({ channel: discord.channel(thread), content: "and the colour blue", toSession: 1 });
    await discord.waitFor(
      "the second answer",
      () => answersWith(thread, `Echo: Alice: and the colour blue\n\n${MODEL_LINE}`).length > 0,
    );

    // Replica 0 starts a slow answer and dies in the middle of it.
    provider.enqueue({
      text: "This answer will never be finished, because the process dies.",
      chunkSize: 4,
      chunkDelayMs: 300,
    });
    discord.sendMessage({ channel: discord.channel(thread), content: "a doomed question", toSession: 0 });
    await discord.waitFor("the doomed answer to start", () => answersWith(thread, "This answer").length > 0);
    const [doomed] = replicas;
    doomed?.child.kill("SIGKILL");
    await doomed?.exited();

    // Only replica 1 is connected now, as session 0.
    discord.sendMessage({ channel: discord.channel(thread), content: "what did I tell you?", toSession: 0 });
    await discord.waitFor(
      "the survivor's answer",
      () => answersWith(thread, `Echo: Alice: what did I tell you?\n\n${MODEL_LINE}`).length > 0,
      45_000,
    );
    const lastRequest = provider
      .chatRequests()
      .find((body) => JSON.stringify(body.messages.at(-1)).includes("what did I tell you?"));
    const history = historyOf(lastRequest as FakeChatBody).map((message) => message.text);
    expect(history).toEqual([
      "Alice: remember the number 7",
      "Echo: Alice: remember the number 7",
      "Alice: and the colour blue",
      "Echo: Alice: and the colour blue",
    ]);
  }, 90_000);
});
