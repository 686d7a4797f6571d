// Pure parsing of Discord payloads into turns and message plans.
import { describe, expect, test } from "vitest";
import {
  conversationKey,
  focusedOption,
  parseCommandInteraction,
  planMessage,
  threadName,
} from "../../../adapters/discord/parse.ts";
import {
  askInChannel,
  BOT_ID,
  GUILD_ID,
  mentionMessage,
  reasonInThread,
  resetInDm,
  TEXT_CHANNEL_ID,
  THREAD_ID,
} from "./fixtures/payloads.ts";

const textChannel = { id: TEXT_CHANNEL_ID, type: 0 };
const thread = { id: THREAD_ID, type: 11, parentId: TEXT_CHANNEL_ID };

describe("slash commands", () => {
  test("/ask: main option becomes the text, the rest options; a plain channel is its own thread", () => {
    expect(parseCommandInteraction(askInChannel, "")).toEqual({
      key: { platform: "discord", workspace: GUILD_ID, channel: TEXT_CHANNEL_ID, thread: TEXT_CHANNEL_ID },
      author: { id: "1400000000000000001", displayName: "Ali", isBot: false },
      kind: "ask",
      text: "What is a monad?",
      options: { model: "gpt-4o-mini" },
    });
  });

  test("inside a thread the key is the parent channel and the thread", () => {
    const turn = parseCommandInteraction(reasonInThread, "");
    expect(turn?.key).toEqual({
      platform: "discord",
      workspace: GUILD_ID,
      channel: TEXT_CHANNEL_ID,
      thread: THREAD_ID,
    });
    expect(turn?.text).toBe("Prove it");
    expect(turn?.options).toEqual({ effort: "high" });
    expect(turn?.author.displayName).toBe("Alice");
  });

  test("in a DM the workspace is dm and the user comes from `user`", () => {
    const turn = parseCommandInteraction(resetInDm, "");
    expect(turn?.key).toEqual({
      platform: "discord",
      workspace: "dm",
      channel: "1700000000000000001",
      thread: "1700000000000000001",
    });
    expect(turn).toMatchObject({ kind: "reset", text: "" });
    expect(turn?.options).toBeUndefined();
  });

  test("a command parley does not know gives no turn", () => {
    expect(
      parseCommandInteraction({ ...askInChannel, data: { name: "imagine", options: [] } }, ""),
    ).toBeUndefined();
  });

  test("the focused option of an autocomplete", () => {
    const typing = {
      ...askInChannel,
      type: 4,
      data: {
        name: "ask",
        options: [
          { name: "prompt", type: 3, value: "x" },
          { name: "model", type: 3, value: "mini", focused: true },
        ],
      },
    };
    expect(focusedOption(typing)).toEqual({ name: "model", typed: "mini" });
  });
});

describe("messages", () => {
  test("a mention in a text channel opens a thread keyed by the message id, mention stripped, names readable", () => {
    const plan = planMessage(mentionMessage(), { botUserId: BOT_ID, channel: textChannel });
    expect(plan).toMatchObject({
      action: "open-thread",
      threadName: "ask @Bobby about the plan",
      turn: {
        kind: "mention",
        text: "ask @Bobby about the plan",
        key: {
          platform: "discord",
          workspace: GUILD_ID,
          channel: TEXT_CHANNEL_ID,
          thread: "1800000000000000001",
        },
      },
      // Where the answer's exchange goes if the thread cannot be opened: the channel's own conversation.
      fallbackKey: {
        platform: "discord",
        workspace: GUILD_ID,
        channel: TEXT_CHANNEL_ID,
        thread: TEXT_CHANNEL_ID,
      },
    });
  });

  test("a mention inside a thread answers in place, replying to the message", () => {
    const plan = planMessage(mentionMessage({ channel_id: THREAD_ID }), {
      botUserId: BOT_ID,
      channel: thread,
    });
    expect(plan).toMatchObject({
      action: "answer",
      replyTo: "1800000000000000001",
      turn: { kind: "mention", key: { channel: TEXT_CHANNEL_ID, thread: THREAD_ID } },
    });
  });

  test("a thread message without a mention continues only a conversation parley holds", () => {
    const plan = planMessage(mentionMessage({ channel_id: THREAD_ID, content: "and then?", mentions: [] }), {
      botUserId: BOT_ID,
      channel: thread,
    });
    expect(plan).toMatchObject({
      action: "answer-if-conversation",
      turn: { kind: "follow-up", text: "and then?" },
    });
  });

  test("a plain channel message without a mention is ignored", () => {
    const plan = planMessage(mentionMessage({ content: "lunch?", mentions: [] }), {
      botUserId: BOT_ID,
      channel: textChannel,
    });
    expect(plan.action).toBe("ignore");
  });

  test("a reply to the bot continues the channel's conversation in place, even though it lists the bot", () => {
    const plan = planMessage(
      mentionMessage({
        type: 19,
        content: "tell me more",
        mentions: [{ id: BOT_ID, username: "parley", bot: true }],
        message_reference: { message_id: "1900000000000000001" },
        referenced_message: { author: { id: BOT_ID } },
      }),
      { botUserId: BOT_ID, channel: textChannel },
    );
    expect(plan).toMatchObject({
      action: "answer",
      turn: { kind: "follow-up", key: { channel: TEXT_CHANNEL_ID, thread: TEXT_CHANNEL_ID } },
    });
  });

  test("every DM is a turn", () => {
    const { guild_id: _guild, member: _member, ...inDm } = mentionMessage({ content: "hello", mentions: [] });
    const plan = planMessage(inDm, { botUserId: BOT_ID });
    expect(plan).toMatchObject({
      action: "answer",
      turn: { text: "hello", key: { workspace: "dm", channel: TEXT_CHANNEL_ID, thread: TEXT_CHANNEL_ID } },
    });
  });

  test("bots, webhooks, system messages and empty messages are ignored", () => {
    const context = { botUserId: BOT_ID, channel: textChannel };
    const fromBot = mentionMessage({ author: { id: "1", username: "other", bot: true } });
    expect(planMessage(fromBot, context).action).toBe("ignore");
    expect(planMessage(mentionMessage({ webhook_id: "2" }), context).action).toBe("ignore");
    expect(planMessage(mentionMessage({ type: 7 }), context).action).toBe("ignore");
    expect(planMessage(mentionMessage({ content: `<@${BOT_ID}>` }), context).action).toBe("ignore");
  });

  test("attachments come through with their type and size, even without text", () => {
    const plan = planMessage(
      mentionMessage({
        content: `<@${BOT_ID}>`,
        attachments: [
          {
            filename: "notes.txt",
            url: "https://cdn.example/notes.txt",
            content_type: "text/plain",
            size: 12,
          },
        ],
      }),
      { botUserId: BOT_ID, channel: textChannel },
    );
    expect(plan).toMatchObject({
      action: "open-thread",
      threadName: "Question from Alice",
      turn: {
        text: "",
        attachments: [
          { name: "notes.txt", url: "https://cdn.example/notes.txt", mimeType: "text/plain", sizeBytes: 12 },
        ],
      },
    });
  });
});

describe("names and keys", () => {
  test("thread names are one line of 1..100 characters", () => {
    const author = { id: "1", displayName: "Alice", isBot: false };
    expect(threadName("line one\nline two", author)).toBe("line one line two");
    const long = threadName("word ".repeat(60), author);
    expect(Array.from(long).length).toBeLessThanOrEqual(100);
    expect(long.endsWith("…")).toBe(true);
    expect(threadName("   ", author)).toBe("Question from Alice");
  });

  test("a thread without a known parent falls back to its own id", () => {
    expect(conversationKey("G", "T", { id: "T", parentId: null })).toEqual({
      platform: "discord",
      workspace: "G",
      channel: "T",
      thread: "T",
    });
  });
});
