// Events API envelopes → messages, and which ones parley answers, from recorded (anonymised) payloads.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  parseMessageEnvelope,
  routeMessage,
  type SlackMessage,
} from "../../../adapters/slack/parse-event.ts";

const BOT = "U0BOT";
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), "utf8")) as Record<
    string,
    unknown
  >;
const parse = (name: string): SlackMessage => {
  const message = parseMessageEnvelope(fixture(name), BOT);
  if (!message) throw new Error(`${name} parsed to nothing`);
  return message;
};

describe("parseMessageEnvelope", () => {
  it("reads an app_mention", () => {
    expect(parse("app-mention")).toEqual({
      eventId: "Ev0MENTION",
      eventType: "app_mention",
      teamId: "T0TEAM",
      channel: "C0GENERAL",
      channelType: undefined,
      userId: "U0ANN",
      ts: "1715000000.123456",
      threadTs: undefined,
      text: "<@U0BOT> what does &lt;T&gt; mean in <https://www.typescriptlang.org/docs|the docs>?",
      attachments: [],
      displayName: undefined,
    });
  });

  it("reads a DM with the author's profile", () => {
    expect(parse("direct-message")).toMatchObject({
      channelType: "im",
      displayName: "Ann",
      threadTs: undefined,
    });
  });

  it("turns shared files into attachments, skipping deleted ones", () => {
    expect(parse("file-share-mention").attachments).toEqual([
      {
        name: "report.csv",
        url: "https://files.slack.com/files-pri/T0TEAM-F0FILE/report.csv",
        mimeType: "text/csv",
        sizeBytes: 2048,
      },
    ]);
  });

  it("ignores edits, bot posts, its own messages and empty messages", () => {
    expect(parseMessageEnvelope(fixture("message-changed"), BOT)).toBeUndefined();
    expect(parseMessageEnvelope(fixture("bot-reply"), BOT)).toBeUndefined();
    const editedMention = fixture("app-mention");
    (editedMention.event as Record<string, unknown>).edited = { user: "U0ANN", ts: "1715000060.000000" };
    expect(parseMessageEnvelope(editedMention, BOT)).toBeUndefined();
    const own = fixture("thread-reply");
    (own.event as Record<string, unknown>).user = BOT;
    expect(parseMessageEnvelope(own, BOT)).toBeUndefined();
    const empty = fixture("thread-reply");
    (empty.event as Record<string, unknown>).text = "   ";
    expect(parseMessageEnvelope(empty, BOT)).toBeUndefined();
    expect(parseMessageEnvelope({ event: { type: "reaction_added" } }, BOT)).toBeUndefined();
    expect(parseMessageEnvelope(null, BOT)).toBeUndefined();
  });
});

describe("routeMessage", () => {
  const key = (thread: string, channel = "C0GENERAL") => ({
    platform: "slack",
    workspace: "T0TEAM",
    channel,
    thread,
  });

  it("answers a mention in the mention's own thread", () => {
    expect(routeMessage(parse("app-mention"), BOT)).toEqual({
      action: "answer",
      key: key("1715000000.123456"),
      replyThreadTs: "1715000000.123456",
    });
  });

  it("answers a thread reply only when parley knows the thread", () => {
    expect(routeMessage(parse("thread-reply"), BOT)).toEqual({
      action: "answer-if-known",
      key: key("1715000000.123456"),
      replyThreadTs: "1715000000.123456",
    });
  });

  it("leaves a message that mentions the bot to the app_mention event", () => {
    const message = { ...parse("thread-reply"), text: "<@U0BOT> again" };
    expect(routeMessage(message, BOT).action).toBe("ignore");
  });

  it("ignores top-level channel chatter", () => {
    const message = { ...parse("thread-reply"), threadTs: undefined };
    expect(routeMessage(message, BOT).action).toBe("ignore");
  });

  it("answers a top-level DM in its own thread; a reply in a DM thread continues that thread", () => {
    expect(routeMessage(parse("direct-message"), BOT)).toEqual({
      action: "answer-direct",
      key: key("1715000200.000100", "D0ANN"),
      replyThreadTs: "1715000200.000100",
    });
    const inThread = { ...parse("direct-message"), threadTs: "1715000200.000050" };
    expect(routeMessage(inThread, BOT)).toMatchObject({
      key: key("1715000200.000050", "D0ANN"),
      replyThreadTs: "1715000200.000050",
    });
    const mentionInDm = { ...parse("direct-message"), eventType: "app_mention" as const };
    expect(routeMessage(mentionInDm, BOT).action).toBe("ignore");
  });
});
