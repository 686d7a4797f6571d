// End to end over HTTP: what answers look like in Slack — split long answers, inert mentions, errors in the thread.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SLACK_EDIT_INTERVAL_MS } from "../../../adapters/slack/limits.ts";
import { PLACEHOLDER_TEXT } from "../../../adapters/slack/surface.ts";
import { deliverEvent, eventEnvelope } from "../../support/fake-slack-delivery.ts";
import {
  mentionOfBot,
  messageEvent,
  SLACK_CHAT_MODEL_LINE,
  type SlackHarness,
  startSlackHarness,
} from "../../support/fake-slack-harness.ts";

/** Slack's advice for a message's text; parley stays under it. */
const SLACK_TEXT_ADVISED_MAX = 4_000;

let harness: SlackHarness;
beforeAll(async () => {
  harness = await startSlackHarness({ realPacing: true });
});
afterAll(async () => {
  await harness?.close();
});

/** Mentions the bot in a new thread and waits until the answer is finished; returns the thread's replies. */
async function mentionAndWait(channel: string, ts: string, text: string) {
  await deliverEvent(
    harness.bot,
    eventEnvelope(messageEvent({ type: "app_mention", channel, ts, text: mentionOfBot(text) })),
  );
  await harness.slack.waitFor(
    () => harness.slack.messages.some((message) => message.threadTs === ts) || undefined,
  );
  await harness.adapter.idle();
  return harness.slack.thread(channel, ts);
}

describe("Slack rendering", () => {
  it("splits a long answer with a code block into messages within limits, fences balanced", async () => {
    const prose = Array.from(
      { length: 40 },
      (_, index) => `Paragraph ${index} explains one more detail of the design.`,
    ).join("\n\n");
    const codeLines = Array.from(
      { length: 160 },
      (_, index) => `const value${index} = compute(${index}) && ready;`,
    );
    const answer = `${prose}\n\n\`\`\`ts\n${codeLines.join("\n")}\n\`\`\`\n\nThat is all.`;
    harness.provider.enqueue({ text: answer, chunkSize: 400 });
    const replies = await mentionAndWait("C20", "1710000200.000100", "write a lot");

    expect(replies.length).toBeGreaterThanOrEqual(3);
    for (const reply of replies) {
      expect(reply.text.length).toBeLessThanOrEqual(SLACK_TEXT_ADVISED_MAX);
      for (const shown of reply.history) expect(shown.length).toBeLessThanOrEqual(SLACK_TEXT_ADVISED_MAX);
      expect((reply.text.match(/```/g) ?? []).length % 2).toBe(0);
      expect(reply.threadTs).toBe("1710000200.000100");
    }
    const all = replies.map((reply) => reply.text).join("\n");
    // Every code line arrives once, in order, with "&" escaped as Slack requires.
    let searchFrom = 0;
    for (const line of codeLines) {
      const escaped = line.replace("&&", "&amp;&amp;");
      const at = all.indexOf(escaped, searchFrom);
      expect(at, line).toBeGreaterThanOrEqual(searchFrom);
      searchFrom = at + escaped.length;
    }
    expect(replies.at(-1)?.text.endsWith(`That is all.\n\n${SLACK_CHAT_MODEL_LINE}`)).toBe(true);
    expect(all).not.toContain(PLACEHOLDER_TEXT);
  });

  it("streams with chat.update at most once per edit interval", async () => {
    harness.provider.enqueue({ text: "word ".repeat(60), chunkSize: 10, chunkDelayMs: 100 });
    const replies = await mentionAndWait("C25", "1710000205.000100", "stream slowly");
    expect(replies).toHaveLength(1);
    const ts = replies[0]?.ts;
    const updates = harness.slack.callsTo("chat.update").filter((call) => call.params.ts === ts);
    expect(updates.length).toBeGreaterThanOrEqual(2);
    const post = harness.slack
      .callsTo("chat.postMessage")
      .find((call) => call.params.thread_ts === "1710000205.000100");
    const times = [post?.atMs ?? 0, ...updates.map((call) => call.atMs)];
    // The placeholder is posted first; the first text replaces it at once; after that edits are spaced.
    for (let index = 2; index < times.length; index++) {
      expect((times[index] ?? 0) - (times[index - 1] ?? 0)).toBeGreaterThanOrEqual(
        SLACK_EDIT_INTERVAL_MS - 50,
      );
    }
    expect(replies[0]?.text).toBe(`${"word ".repeat(60).trim()}\n\n${SLACK_CHAT_MODEL_LINE}`);
  });

  it("keeps <!channel>, <!here>, @here and <@U123> from the model inert", async () => {
    harness.provider.enqueue({
      text: "Attention <!channel> and <!here>! Ask <@U123> or <!subteam^S1|@team>; also @here, and `<@U9>` in code.",
    });
    const replies = await mentionAndWait("C21", "1710000201.000100", "ping everyone");
    const shown = replies.flatMap((reply) => reply.history);
    expect(shown.length).toBeGreaterThan(0);
    for (const text of shown) {
      expect(text).not.toMatch(/<[@!#]/);
      expect(text).not.toMatch(/(^|\s)@here\b/);
    }
    const final = replies.at(-1)?.text ?? "";
    expect(final).toContain("&lt;!channel&gt;");
    expect(final).toContain("&lt;@U123&gt;");
    expect(final).toContain("`&lt;@U9&gt;`");
  });

  it("turns Markdown into Slack formatting and Sources into links", async () => {
    harness.provider.enqueue({ text: "**Bold** and [a link](https://example.com/a?b=1&c=2)\n\n# Heading" });
    const replies = await mentionAndWait("C22", "1710000202.000100", "format this");
    const final = replies.at(-1)?.text ?? "";
    expect(final).toContain("*Bold*");
    expect(final).toContain("<https://example.com/a?b=1&amp;c=2|a link>");
    expect(final).not.toContain("**");
    expect(final).not.toContain("# Heading");
  });

  it("shows a provider error as a short message in the thread", async () => {
    harness.provider.enqueue({ error: { status: 401, message: "This request requires a valid API key" } });
    const replies = await mentionAndWait("C23", "1710000203.000100", "fail please");
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toMatch(/^:warning: /);
    expect(replies[0]?.text.length).toBeLessThan(500);
  });

  it("keeps the partial answer and says it was cut off when the stream breaks", async () => {
    harness.provider.enqueue({
      text: "The first half arrives, and then the rest never does.",
      cutAfterChars: 24,
    });
    const replies = await mentionAndWait("C24", "1710000204.000100", "break mid-way");
    const final = replies.map((reply) => reply.text).join("\n");
    expect(final).toContain("The first half arrives");
    expect(final).not.toContain("never does");
  });
});
