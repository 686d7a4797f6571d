// End to end over HTTP: answers streamed with chat.startStream/appendStream/stopStream, and the post + update fallback.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FEEDBACK_ACTION_ID, RETRY_ACTION_ID } from "../../../adapters/slack/control-blocks.ts";
import { SLACK_ANSWER_MAX_CHARACTERS } from "../../../adapters/slack/limits.ts";
import { PLACEHOLDER_TEXT } from "../../../adapters/slack/surface.ts";
import { modelLine } from "../../../src/render/footer.ts";
import { FAKE_TEAM_ID, type FakeSlackMessage } from "../../support/fake-slack.ts";
import {
  deliverCommand,
  deliverEvent,
  eventEnvelope,
  slashCommandFields,
} from "../../support/fake-slack-delivery.ts";
import {
  mentionOfBot,
  messageEvent,
  SLACK_CHAT_MODEL_LINE,
  type SlackHarness,
  startSlackHarness,
} from "../../support/fake-slack-harness.ts";

const ASKER = "U0ANN";
/** The footer's last line under an answer of the default chat model, in Markdown (streamed text is not mrkdwn). */
const CHAT_MODEL_LINE = modelLine("gpt-4.1-mini-2025-04-14");

let harness: SlackHarness;
beforeAll(async () => {
  harness = await startSlackHarness({ nativeStreaming: true });
});
afterAll(async () => {
  await harness?.close();
});

/** The streamed messages of a thread, once every one of them was stopped. */
async function stoppedStreams(channel: string, threadTs: string): Promise<FakeSlackMessage[]> {
  const { slack } = harness;
  await harness.adapter.idle();
  const streamed = slack
    .thread(channel, threadTs)
    .filter((message) => slack.streaming.streams.has(message.ts));
  for (const message of streamed) expect(slack.streaming.streams.get(message.ts)?.state).toBe("stopped");
  return streamed;
}

/** The controls a message's blocks offer (action ids). */
const controlIds = (message: FakeSlackMessage | undefined): string[] =>
  (message?.blocks ?? []).flatMap((block) =>
    ((block.elements ?? []) as { action_id?: string }[]).map((element) => String(element.action_id)),
  );

const callsFor = (method: string, channel: string) =>
  harness.slack.callsTo(method).filter((call) => call.params.channel === channel);

async function askInDirectThread(channel: string, ts: string, text: string): Promise<void> {
  await deliverEvent(
    harness.bot,
    eventEnvelope(messageEvent({ channel, channelType: "im", ts, user: ASKER, text })),
  );
  await harness.slack.waitFor(() => callsFor("chat.stopStream", channel).length > 0 || undefined);
}

async function mentionInChannel(channel: string, ts: string, text: string): Promise<void> {
  await deliverEvent(
    harness.bot,
    eventEnvelope(messageEvent({ type: "app_mention", channel, ts, user: ASKER, text: mentionOfBot(text) })),
  );
  await harness.slack.waitFor(() => callsFor("chat.stopStream", channel).length > 0 || undefined);
}

describe("native streaming on Slack", () => {
  it("streams a DM thread's answer in order, each piece once, footer last, feedback on the stop", async () => {
    const answer =
      "First part of the answer. Then a second part, which keeps going for a while, and ends here.";
    harness.provider.enqueue({ text: answer, chunkSize: 6, chunkDelayMs: 60 });
    const ts = "1730000000.000100";
    await askInDirectThread("D10", ts, "explain it");
    const [streamed, ...others] = await stoppedStreams("D10", ts);
    expect(others).toEqual([]);
    if (!streamed) throw new Error("nothing streamed");

    const start = callsFor("chat.startStream", "D10")[0];
    expect(start?.params).toMatchObject({
      thread_ts: ts,
      recipient_user_id: ASKER,
      recipient_team_id: FAKE_TEAM_ID,
    });
    // The whole answer, then the model line, exactly once: nothing was sent twice.
    expect(streamed.text).toBe(`${answer}\n\n${CHAT_MODEL_LINE}`);
    const stream = harness.slack.streaming.streams.get(streamed.ts);
    expect(stream?.pieces.join("")).toBe(streamed.text);
    expect(callsFor("chat.appendStream", "D10").length).toBeGreaterThanOrEqual(2);
    // The stop repeats no text and carries the feedback row.
    const stop = callsFor("chat.stopStream", "D10")[0];
    expect(stop?.params).not.toHaveProperty("markdown_text");
    expect(stop?.params).not.toHaveProperty("chunks");
    expect(streamed.blocks?.at(-1)?.type).toBe("context_actions");
    expect(controlIds(streamed)).toEqual([FEEDBACK_ACTION_ID]);
    // Nothing went the post + update way.
    expect(callsFor("chat.postMessage", "D10")).toEqual([]);
    expect(callsFor("chat.update", "D10")).toEqual([]);
  });

  it("streams a channel thread's answer to the asker by user and team id, no placeholder, mentions inert", async () => {
    harness.provider.enqueue({
      text: "Tell <@U0BOSS> and <!channel> and <!subteam^S1> and @here and @everyone, or &lt;@U0X&gt; too. Done.",
      chunkSize: 3,
    });
    const ts = "1730000000.000200";
    await mentionInChannel("C10", ts, "who should know");
    const [streamed] = await stoppedStreams("C10", ts);
    const start = callsFor("chat.startStream", "C10")[0];
    expect(start?.params).toMatchObject({
      thread_ts: ts,
      recipient_user_id: ASKER,
      recipient_team_id: FAKE_TEAM_ID,
    });
    expect(streamed?.text).toContain("Done.");
    // Every mention and broadcast reads as written but cannot ping, however the pieces were cut.
    for (const piece of harness.slack.streaming.streams.get(streamed?.ts ?? "")?.pieces ?? [])
      expect(piece).not.toMatch(/<[@#!]|&lt;[@#!]|@(here|channel|everyone)\b/);
    expect(streamed?.text).not.toMatch(/<[@#!]|&lt;[@#!]|@(here|channel|everyone)\b/);
    expect(streamed?.text.replaceAll("\u2060", "")).toContain("Tell <@U0BOSS> and <!channel>");
    expect(callsFor("chat.postMessage", "C10")).toEqual([]);
    expect(harness.slack.messages.some((message) => message.text.includes(PLACEHOLDER_TEXT))).toBe(false);
  });

  it("continues a long answer in new streamed messages without losing or repeating a line", async () => {
    const lines = Array.from(
      { length: 240 },
      (_, index) => `Line ${index} of a long answer, written out in full.`,
    );
    const code = ["```ts", ...Array.from({ length: 60 }, (_, index) => `const v${index} = ${index};`), "```"];
    const answer = [...lines.slice(0, 120), ...code, ...lines.slice(120)].join("\n");
    harness.provider.enqueue({ text: answer, chunkSize: 700 });
    const ts = "1730000000.000300";
    await askInDirectThread("D11", ts, "write a lot");
    const streamed = await stoppedStreams("D11", ts);
    expect(streamed.length).toBeGreaterThanOrEqual(4);
    for (const message of streamed) {
      expect(message.text.length).toBeLessThanOrEqual(SLACK_ANSWER_MAX_CHARACTERS);
      // A code block cut between messages is closed and reopened.
      expect((message.text.match(/```/g) ?? []).length % 2).toBe(0);
    }
    const all = streamed.map((message) => message.text).join("\n");
    // Every line arrives once, in the answer's order.
    let from = 0;
    for (const line of [...lines.slice(0, 120), ...code.slice(1, -1), ...lines.slice(120)]) {
      const at = all.indexOf(line, from);
      expect(at, line).toBeGreaterThanOrEqual(from);
      expect(all.indexOf(line, at + line.length), `${line} twice`).toBe(-1);
      from = at + line.length;
    }
    expect(streamed.at(-1)?.text.slice(-200)).toMatch(
      new RegExp(`${CHAT_MODEL_LINE.replace(/[*.]/g, "\\$&")}$`),
    );
    expect(controlIds(streamed.at(-1))).toEqual([FEEDBACK_ACTION_ID]);
    for (const message of streamed.slice(0, -1)) expect(controlIds(message)).toEqual([]);
  });

  it("shows /search as a task with its sources, and the Sources list whole in the footer", async () => {
    harness.provider.enqueue({
      text: "Node.js 24 is the active LTS line.",
      annotations: [{ url: "https://nodejs.org/en/about/previous-releases", title: "Node.js releases" }],
    });
    const responseUrl = harness.slack.responseUrl();
    await deliverCommand(
      harness.bot,
      slashCommandFields({
        command: "/search",
        text: "latest Node.js LTS",
        channel: "C12",
        user: ASKER,
        responseUrl,
      }),
    );
    await harness.slack.waitFor(() => callsFor("chat.stopStream", "C12").length > 0 || undefined);
    await harness.adapter.idle();
    const root = harness.slack.thread("C12", undefined)[0];
    expect(root?.text).toContain("/search latest Node.js LTS");
    expect(root?.text).not.toContain(PLACEHOLDER_TEXT);
    const [streamed] = await stoppedStreams("C12", root?.ts ?? "");
    const stream = harness.slack.streaming.streams.get(streamed?.ts ?? "");
    expect([...(stream?.tasks.values() ?? [])]).toEqual([
      {
        id: "task-1",
        title: "Searching the web…",
        status: "complete",
        sources: [
          { type: "url", url: "https://nodejs.org/en/about/previous-releases", text: "Node.js releases" },
        ],
      },
    ]);
    // The task showed while the search ran, before any text.
    const first = callsFor("chat.startStream", "C12")[0]?.params.chunks as {
      type: string;
      status?: string;
    }[];
    expect(first).toEqual([expect.objectContaining({ type: "task_update", status: "in_progress" })]);
    expect(streamed?.text).toContain(
      "Node.js 24 is the active LTS line.\n\n**Sources**\n1. [Node.js releases](https://nodejs.org/en/about/previous-releases)",
    );
  });

  it("Slack's own stop ends a DM thread's stream with the stopped note and no feedback", async () => {
    harness.provider.enqueue({
      text: "One. Two. Three. Four. Five. Six. Seven. Eight. Nine. Ten. Eleven. Twelve.",
      chunkSize: 5,
      chunkDelayMs: 250,
    });
    const ts = "1730000000.000400";
    await deliverEvent(
      harness.bot,
      eventEnvelope(messageEvent({ channel: "D13", channelType: "im", ts, user: ASKER, text: "count" })),
    );
    await harness.slack.waitFor(() => callsFor("chat.appendStream", "D13").length > 0 || undefined);
    await deliverEvent(
      harness.bot,
      eventEnvelope({
        type: "agent_session_stopped",
        channel: "D13",
        thread_ts: ts,
        user: ASKER,
        streaming_message_ts: [],
        event_ts: String(Date.now() / 1000),
      }),
    );
    await harness.slack.waitFor(() => callsFor("chat.stopStream", "D13").length > 0 || undefined);
    const [streamed] = await stoppedStreams("D13", ts);
    expect(streamed?.text).toContain("*Stopped before it was finished.*");
    expect(streamed?.text).not.toContain("Twelve.");
    expect(controlIds(streamed)).toEqual([]);
  });

  it("stopping the stream in Slack stops the answer: the model's request closes, nothing more is appended", async () => {
    const { slack } = harness;
    harness.provider.enqueue({
      text: "One. Two. Three. Four. Five. Six. Seven. Eight. Nine. Ten. Eleven. Twelve.",
      chunkSize: 5,
      chunkDelayMs: 250,
    });
    const ts = "1730000000.000450";
    await deliverEvent(
      harness.bot,
      eventEnvelope(messageEvent({ channel: "D17", channelType: "im", ts, user: ASKER, text: "count" })),
    );
    const streamed = await slack.waitFor(() =>
      callsFor("chat.appendStream", "D17").length > 0 ? slack.thread("D17", ts)[0] : undefined,
    );
    slack.streaming.stopByPerson(streamed.ts);
    await slack.waitFor(() => harness.provider.requests.at(-1)?.closedByClient || undefined);
    await harness.adapter.idle();
    const shown = streamed.text;
    expect(shown).toMatch(/^One\./);
    expect(shown).not.toContain("Twelve.");
    // The refused append was the last write: no stop, no post.
    expect(callsFor("chat.stopStream", "D17")).toEqual([]);
    expect(callsFor("chat.postMessage", "D17")).toEqual([]);
  });

  it("when an append fails (an expired stream), the rest of the answer is posted, nothing lost or repeated", async () => {
    const { slack } = harness;
    const words = Array.from({ length: 30 }, (_, index) => `word${index}`);
    harness.provider.enqueue({ text: `${words.join(" ")}.`, chunkSize: 12, chunkDelayMs: 60 });
    const ts = "1730000000.000480";
    await deliverEvent(
      harness.bot,
      eventEnvelope(messageEvent({ channel: "D18", channelType: "im", ts, user: ASKER, text: "words" })),
    );
    await slack.waitFor(() => callsFor("chat.startStream", "D18").length > 0 || undefined);
    slack.failNext("chat.appendStream", "message_not_in_streaming_state");
    await slack.waitFor(() => slack.thread("D18", ts).find((message) => message.text.includes("Model:")));
    await harness.adapter.idle();
    const [streamed, ...posted] = slack.thread("D18", ts);
    expect(posted.length).toBeGreaterThanOrEqual(1);
    expect(callsFor("chat.postMessage", "D18")).toHaveLength(posted.length);
    const all = [streamed?.text ?? "", ...posted.map((message) => message.text)].join(" ");
    for (const word of words) expect(all.match(new RegExp(`\\b${word}\\b`, "g")), word).toHaveLength(1);
    expect(posted.at(-1)?.text.endsWith(SLACK_CHAT_MODEL_LINE)).toBe(true);
    expect(controlIds(posted.at(-1))).toEqual([FEEDBACK_ACTION_ID]);
  });

  it("a provider error mid-stream appends the one-sentence notice, then stops with Retry", async () => {
    harness.provider.enqueue({
      text: "The first half, then the connection drops",
      chunkSize: 6,
      cutAfterChars: 14,
    });
    const ts = "1730000000.000500";
    await askInDirectThread("D14", ts, "tell me");
    const [streamed] = await stoppedStreams("D14", ts);
    expect(streamed?.text).toMatch(/^The first half/);
    expect(streamed?.text).toContain("⚠️ *The answer was cut off:");
    expect(streamed?.text).not.toContain("connection drops");
    expect(controlIds(streamed)).toEqual([RETRY_ACTION_ID]);
    expect(callsFor("chat.postMessage", "D14")).toEqual([]);
  });

  // Last: it leaves the workspace on post + update.
  it("falls back to post + update when Slack cannot stream, and remembers that for the workspace", async () => {
    const { slack } = harness;
    slack.streaming.unavailable = true;
    harness.provider.enqueue({ text: "Answered the old way. With more words after.", chunkSize: 8 });
    const ts = "1730000000.000600";
    await deliverEvent(
      harness.bot,
      eventEnvelope(
        messageEvent({ type: "app_mention", channel: "C15", ts, user: ASKER, text: mentionOfBot("hi") }),
      ),
    );
    const answered = await slack.waitFor(() =>
      slack.thread("C15", ts).find((message) => message.text.includes("Model:")),
    );
    await harness.adapter.idle();
    expect(callsFor("chat.startStream", "C15")).toHaveLength(1);
    // One message, posted then updated: nothing lost, nothing twice.
    expect(slack.thread("C15", ts)).toHaveLength(1);
    expect(answered.text).toContain("Answered the old way. With more words after.");
    expect(answered.text.split("Answered the old way").length).toBe(2);

    const startsBefore = slack.callsTo("chat.startStream").length;
    harness.provider.enqueue({ text: "Second answer, also posted." });
    const second = "1730000000.000700";
    await deliverEvent(
      harness.bot,
      eventEnvelope(
        messageEvent({ channel: "D16", channelType: "im", ts: second, user: ASKER, text: "again" }),
      ),
    );
    await slack.waitFor(() => slack.thread("D16", second).find((message) => message.text.includes("Model:")));
    await harness.adapter.idle();
    expect(slack.callsTo("chat.startStream")).toHaveLength(startsBefore);
    expect(slack.thread("D16", second)[0]?.text).toContain("Second answer, also posted.");
  });
});

describe("native streaming's start budget", () => {
  let busy: SlackHarness;
  beforeAll(async () => {
    busy = await startSlackHarness({ nativeStreaming: true });
  });
  afterAll(async () => {
    await busy?.close();
  });

  it("past Slack's 20 stream starts a minute in a workspace, an answer is posted and updated instead", async () => {
    const { slack } = busy;
    const threads = Array.from(
      { length: 22 },
      (_, index) => `1740000000.${String(index + 1).padStart(6, "0")}`,
    );
    for (const [index, ts] of threads.entries()) {
      busy.provider.enqueue({ text: `Answer number ${index}, in full.` });
      await deliverEvent(
        busy.bot,
        eventEnvelope(
          messageEvent({ channel: "D30", channelType: "im", ts, user: ASKER, text: `q${index}` }),
        ),
      );
      await slack.waitFor(() => slack.thread("D30", ts).find((message) => message.text.includes("Model:")));
    }
    await busy.adapter.idle();
    expect(slack.callsTo("chat.startStream")).toHaveLength(20);
    // Every question has its answer, whole: the last two posted the usual way.
    for (const [index, ts] of threads.entries()) {
      const [answer, ...more] = slack.thread("D30", ts);
      expect(more).toEqual([]);
      expect(answer?.text).toContain(`Answer number ${index}, in full.`);
      expect(slack.streaming.streams.has(answer?.ts ?? "")).toBe(index < 20);
    }
  });
});
