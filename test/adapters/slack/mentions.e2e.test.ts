// End to end over HTTP: mentions, thread follow-ups, direct messages, files and duplicate deliveries.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { THINKING_STATUS } from "../../../adapters/slack/direct-thread.ts";
import { SUGGESTED_PROMPTS } from "../../../adapters/slack/suggested-prompts.ts";
import { PLACEHOLDER_TEXT } from "../../../adapters/slack/surface.ts";
import { FAKE_BOT_ID, FAKE_BOT_USER_ID } from "../../support/fake-slack.ts";
import { deliverEvent, eventEnvelope } from "../../support/fake-slack-delivery.ts";
import {
  mentionOfBot,
  messageEvent,
  SLACK_CHAT_MODEL_LINE,
  type SlackHarness,
  startSlackHarness,
  TEST_BOT_TOKEN,
} from "../../support/fake-slack-harness.ts";

let harness: SlackHarness;
beforeAll(async () => {
  harness = await startSlackHarness();
});
afterAll(async () => {
  await harness?.close();
});

/** The text of the last user message the provider received. */
function lastPrompt(): string {
  const request = harness.provider.chatRequests().at(-1);
  const content = request?.messages.at(-1)?.content;
  return typeof content === "string" ? content : JSON.stringify(content);
}

/** Waits for the finished message of a thread that echoes `prompt` (the fake provider's default answer). */
function answerIn(channel: string, threadTs: string | undefined, prompt: string) {
  return harness.slack.waitFor(() =>
    harness.slack
      .thread(channel, threadTs)
      .find(
        (message) =>
          message.text.startsWith("Echo:") && message.text.endsWith(`${prompt}\n\n${SLACK_CHAT_MODEL_LINE}`),
      ),
  );
}

describe("Slack mentions over HTTP", () => {
  it("answers a mention in the mention's thread, placeholder first", async () => {
    const { slack, bot } = harness;
    const ts = "1710000000.000100";
    const delivery = await deliverEvent(
      bot,
      eventEnvelope(
        messageEvent({ type: "app_mention", channel: "C1", ts, text: mentionOfBot("what is 2+2?") }),
      ),
    );
    expect(delivery.status).toBe(200);
    const answer = await answerIn("C1", ts, "what is 2+2?");
    await harness.adapter.idle();
    expect(answer.threadTs).toBe(ts);
    expect(answer.history[0]).toBe(PLACEHOLDER_TEXT);
    expect(answer.text).toBe(`Echo: Person U0ANN: what is 2+2?\n\n${SLACK_CHAT_MODEL_LINE}`);
    // The bot's own mention is not part of the prompt.
    expect(lastPrompt()).toContain("what is 2+2?");
    expect(lastPrompt()).not.toContain(FAKE_BOT_USER_ID);
    expect(
      slack.callsTo("chat.postMessage").every((call) => call.authorization === `Bearer ${TEST_BOT_TOKEN}`),
    ).toBe(true);
  });

  it("continues a thread it answered without a mention, and ignores threads it did not", async () => {
    const { slack, bot, provider } = harness;
    const root = "1710000000.000200";
    await deliverEvent(
      bot,
      eventEnvelope(
        messageEvent({
          type: "app_mention",
          channel: "C1",
          ts: root,
          text: mentionOfBot("remember the word kiwi"),
        }),
      ),
    );
    await answerIn("C1", root, "remember the word kiwi");
    await harness.adapter.idle();

    await deliverEvent(
      bot,
      eventEnvelope(
        messageEvent({
          channel: "C1",
          ts: "1710000000.000300",
          threadTs: root,
          text: "and what word was it?",
        }),
      ),
    );
    await answerIn("C1", root, "and what word was it?");
    await harness.adapter.idle();
    const followUp = provider.chatRequests().at(-1);
    expect(JSON.stringify(followUp?.messages)).toContain("remember the word kiwi");

    const requestsBefore = provider.chatRequests().length;
    await deliverEvent(
      bot,
      eventEnvelope(
        messageEvent({
          channel: "C1",
          ts: "1710000000.000500",
          threadTs: "1710000000.000400",
          text: "unrelated thread",
        }),
      ),
    );
    await deliverEvent(
      bot,
      eventEnvelope(messageEvent({ channel: "C1", ts: "1710000000.000600", text: "top-level chatter" })),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await harness.adapter.idle();
    expect(provider.chatRequests()).toHaveLength(requestsBefore);
    expect(slack.thread("C1", "1710000000.000400")).toHaveLength(0);
  });

  it("answers a top-level direct message in its own thread, with a status and a title", async () => {
    const { slack, bot } = harness;
    const ts = "1710000001.000100";
    await deliverEvent(
      bot,
      eventEnvelope(messageEvent({ channel: "D1", channelType: "im", ts, text: "hello in private" })),
    );
    const answer = await answerIn("D1", ts, "hello in private");
    await harness.adapter.idle();
    expect(answer.threadTs).toBe(ts);
    // The status stands in for a placeholder message.
    expect(answer.history[0]).not.toBe(PLACEHOLDER_TEXT);
    expect(slack.thread("D1", undefined)).toEqual([]);
    const status = slack
      .callsTo("assistant.threads.setStatus")
      .find((call) => call.params.channel_id === "D1");
    expect(status?.params).toMatchObject({ thread_ts: ts, status: THINKING_STATUS });
    const title = slack.callsTo("assistant.threads.setTitle").find((call) => call.params.channel_id === "D1");
    expect(title?.params).toMatchObject({ thread_ts: ts, title: "hello in private" });
  });

  it("sets suggested prompts for the DM itself when a user opens its Messages tab", async () => {
    const { slack, bot } = harness;
    const opened = (tab: string, channel: string) =>
      eventEnvelope({ type: "app_home_opened", user: "U0ANN", channel, tab, event_ts: "1710000001.000500" });
    await deliverEvent(bot, opened("home", "D2"));
    await deliverEvent(bot, opened("messages", "D3"));
    const call = await slack.waitFor(() => slack.callsTo("assistant.threads.setSuggestedPrompts")[0]);
    expect(call.params.channel_id).toBe("D3");
    expect(call.params).not.toHaveProperty("thread_ts");
    expect(call.params.prompts).toEqual(SUGGESTED_PROMPTS.map(({ title, message }) => ({ title, message })));
    await harness.adapter.idle();
    expect(slack.callsTo("assistant.threads.setSuggestedPrompts")).toHaveLength(1);
  });

  it("tells the model what the user is viewing when they ask in the DM", async () => {
    const { bot } = harness;
    await deliverEvent(
      bot,
      eventEnvelope({
        type: "app_context_changed",
        user: "U0BEA",
        channel: "D4",
        context: { entities: [{ type: "slack#/types/channel_id", value: "C0ROADMAP", team_id: "T0PARLEY" }] },
        event_ts: "1710000001.000600",
      }),
    );
    await harness.adapter.idle();
    const ts = "1710000001.000700";
    await deliverEvent(
      bot,
      eventEnvelope(messageEvent({ channel: "D4", channelType: "im", ts, user: "U0BEA", text: "sum it up" })),
    );
    await harness.slack.waitFor(() => harness.slack.thread("D4", ts).find((m) => m.text.startsWith("Echo:")));
    await harness.adapter.idle();
    expect(lastPrompt()).toContain("sum it up");
    expect(lastPrompt()).toContain("(In Slack, the user is viewing the channel C0ROADMAP.)");
    // Someone else's question is not given that context.
    const other = "1710000001.000800";
    await deliverEvent(
      bot,
      eventEnvelope(messageEvent({ channel: "D5", channelType: "im", ts: other, user: "U0CAL", text: "hi" })),
    );
    await harness.slack.waitFor(() =>
      harness.slack.thread("D5", other).find((m) => m.text.startsWith("Echo:")),
    );
    expect(lastPrompt()).not.toContain("viewing");
  });

  it("keeps what the user is viewing out of a command typed in the DM", async () => {
    const { bot, slack } = harness;
    await deliverEvent(
      bot,
      eventEnvelope({
        type: "app_context_changed",
        user: "U0DEE",
        channel: "D6",
        context: { entities: [{ type: "slack#/types/channel_id", value: "C0ROADMAP", team_id: "T0PARLEY" }] },
        event_ts: "1710000001.000900",
      }),
    );
    await harness.adapter.idle();
    const ts = "1710000001.001000";
    await deliverEvent(
      bot,
      eventEnvelope(
        messageEvent({ channel: "D6", channelType: "im", ts, user: "U0DEE", text: "/model gpt-4o-mini" }),
      ),
    );
    const reply = await slack.waitFor(() =>
      slack.thread("D6", ts).find((m) => m.text.includes("gpt-4o-mini")),
    );
    await harness.adapter.idle();
    expect(reply.text).toContain("From now on,");
    expect(reply.text).not.toContain("viewing");
  });

  it("answers a retried delivery of the same event once", async () => {
    const { slack, bot, provider } = harness;
    const ts = "1710000002.000100";
    const envelope = eventEnvelope(
      messageEvent({ type: "app_mention", channel: "C2", ts, text: mentionOfBot("only once please") }),
    );
    const requestsBefore = provider.chatRequests().length;
    const first = await deliverEvent(bot, envelope);
    const retry = await deliverEvent(bot, envelope, { retryNum: 1 });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await answerIn("C2", ts, "only once please");
    await new Promise((resolve) => setTimeout(resolve, 300));
    await harness.adapter.idle();
    expect(provider.chatRequests().length - requestsBefore).toBe(1);
    expect(slack.thread("C2", ts)).toHaveLength(1);
  });

  it("answers a mention inside a known thread once, though app_mention and message both arrive", async () => {
    const { slack, bot, provider } = harness;
    const root = "1710000003.000100";
    await deliverEvent(
      bot,
      eventEnvelope(
        messageEvent({ type: "app_mention", channel: "C3", ts: root, text: mentionOfBot("start") }),
      ),
    );
    await answerIn("C3", root, "start");
    await harness.adapter.idle();
    const requestsBefore = provider.chatRequests().length;
    const ts = "1710000003.000200";
    const text = mentionOfBot("again, in the thread");
    await Promise.all([
      deliverEvent(
        bot,
        eventEnvelope(messageEvent({ type: "app_mention", channel: "C3", ts, threadTs: root, text })),
      ),
      deliverEvent(bot, eventEnvelope(messageEvent({ channel: "C3", ts, threadTs: root, text }))),
    ]);
    await answerIn("C3", root, "again, in the thread");
    await new Promise((resolve) => setTimeout(resolve, 300));
    await harness.adapter.idle();
    expect(provider.chatRequests().length - requestsBefore).toBe(1);
    expect(slack.thread("C3", root).filter((message) => message.text.includes("again"))).toHaveLength(1);
  });

  it("ignores its own messages, other bots, edits and deletions", async () => {
    const { bot, provider } = harness;
    const root = "1710000003.000100"; // a thread parley answered in the test above
    const requestsBefore = provider.chatRequests().length;
    const ignored = [
      messageEvent({
        channel: "C3",
        ts: "1710000004.000100",
        threadTs: root,
        text: "my own words",
        user: FAKE_BOT_USER_ID,
      }),
      messageEvent({
        channel: "C3",
        ts: "1710000004.000200",
        threadTs: root,
        text: "beep",
        extra: { bot_id: "B0OTHER" },
      }),
      messageEvent({
        channel: "C3",
        ts: "1710000004.000300",
        threadTs: root,
        text: "x",
        extra: { subtype: "bot_message", bot_id: FAKE_BOT_ID },
      }),
      messageEvent({
        channel: "C3",
        ts: "1710000004.000400",
        threadTs: root,
        text: "",
        extra: { subtype: "message_changed", message: { text: "edited" } },
      }),
      messageEvent({
        channel: "C3",
        ts: "1710000004.000500",
        threadTs: root,
        text: "",
        extra: { subtype: "message_deleted" },
      }),
      messageEvent({
        channel: "C3",
        ts: "1710000004.000600",
        threadTs: root,
        text: "joined",
        extra: { subtype: "channel_join" },
      }),
    ];
    for (const event of ignored) expect((await deliverEvent(bot, eventEnvelope(event))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await harness.adapter.idle();
    expect(provider.chatRequests()).toHaveLength(requestsBefore);
  });

  it("does not answer an edited mention again, in a channel or in a DM", async () => {
    const { slack, bot, provider } = harness;
    const ts = "1710000007.000100";
    await deliverEvent(
      bot,
      eventEnvelope(
        messageEvent({ type: "app_mention", channel: "C7", ts, text: mentionOfBot("first words") }),
      ),
    );
    await answerIn("C7", ts, "first words");
    await harness.adapter.idle();
    const requestsBefore = provider.chatRequests().length;
    const edited = { user: "U0ANN", ts: "1710000007.000900" };
    // Slack re-sends the mention with `edited`, and sends message_changed beside it.
    await deliverEvent(
      bot,
      eventEnvelope(
        messageEvent({
          type: "app_mention",
          channel: "C7",
          ts,
          text: mentionOfBot("second words"),
          extra: { edited },
        }),
      ),
    );
    await deliverEvent(
      bot,
      eventEnvelope(
        messageEvent({
          channel: "C7",
          ts: edited.ts,
          text: "",
          extra: {
            subtype: "message_changed",
            hidden: true,
            message: { type: "message", user: "U0ANN", text: mentionOfBot("second words"), ts, edited },
          },
        }),
      ),
    );
    await deliverEvent(
      bot,
      eventEnvelope(
        messageEvent({
          channel: "D7",
          channelType: "im",
          ts: "1710000007.000200",
          text: "an edited DM",
          extra: { edited: { user: "U0ANN", ts: "1710000007.000300" } },
        }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await harness.adapter.idle();
    expect(provider.chatRequests()).toHaveLength(requestsBefore);
    expect(slack.thread("C7", ts)).toHaveLength(1);
    expect(slack.thread("D7", undefined)).toHaveLength(0);
  });

  it("reads a file shared with a mention using the bot token", async () => {
    const { slack, bot } = harness;
    const url = slack.addFile(
      "notes.txt",
      new TextEncoder().encode("The secret ingredient is cardamom."),
      "text/plain",
    );
    const ts = "1710000005.000100";
    const files = [{ id: "F1", name: "notes.txt", mimetype: "text/plain", size: 34, url_private: url }];
    await deliverEvent(
      bot,
      eventEnvelope(
        messageEvent({
          type: "app_mention",
          channel: "C5",
          ts,
          text: mentionOfBot("summarise the file"),
          extra: { files, subtype: "file_share" },
        }),
      ),
    );
    await slack.waitFor(() => slack.thread("C5", ts).find((message) => message.text.includes("cardamom")));
    await harness.adapter.idle();
    expect(slack.fileDownloads).toEqual([{ name: "notes.txt", authorization: `Bearer ${TEST_BOT_TOKEN}` }]);
    expect(JSON.stringify(harness.provider.chatRequests().at(-1)?.messages)).toContain("cardamom");
  });

  it("answers /model written to it in a thread with a remedy that works in that thread", async () => {
    const { bot } = harness;
    const root = "1710000000.000950";
    await deliverEvent(
      bot,
      eventEnvelope(messageEvent({ type: "app_mention", channel: "C9", ts: root, text: mentionOfBot("hi") })),
    );
    await answerIn("C9", root, "hi");
    await deliverEvent(
      bot,
      eventEnvelope(
        messageEvent({
          type: "app_mention",
          channel: "C9",
          ts: "1710000000.000951",
          threadTs: root,
          text: mentionOfBot("/model"),
        }),
      ),
    );
    const shown = await harness.slack.waitFor(() =>
      harness.slack.thread("C9", root).find((message) => message.text.startsWith("The chat model")),
    );
    await harness.adapter.idle();
    expect(shown.text.split("\n").at(-1)).toBe("Change it with `@parley /model &lt;name&gt;`.");
  });

  it("resets a thread when mentioned with /reset in it", async () => {
    const { bot, provider } = harness;
    const root = "1710000000.000900";
    const mention = (ts: string, text: string) =>
      deliverEvent(
        bot,
        eventEnvelope(
          messageEvent({
            type: "app_mention",
            channel: "C9",
            ts,
            threadTs: ts === root ? undefined : root,
            text: mentionOfBot(text),
          }),
        ),
      );
    await mention(root, "the password is swordfish");
    await answerIn("C9", root, "the password is swordfish");
    await mention("1710000000.000901", "/reset");
    await harness.slack.waitFor(() =>
      harness.slack.thread("C9", root).find((message) => message.text.includes("forgot this conversation")),
    );
    await mention("1710000000.000902", "what is the password?");
    await answerIn("C9", root, "what is the password?");
    const contents = provider
      .chatRequests()
      .at(-1)
      ?.messages.map((message) => String(message.content));
    expect(contents?.some((content) => content.includes("swordfish"))).toBe(false);
  });
});
