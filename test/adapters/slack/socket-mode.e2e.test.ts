// End to end over Socket Mode: events and commands through the WebSocket, the assistant surface, a clean stop.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { THINKING_STATUS } from "../../../adapters/slack/assistant.ts";
import { SUGGESTED_PROMPTS } from "../../../adapters/slack/suggested-prompts.ts";
import { FAKE_TEAM_ID } from "../../support/fake-slack.ts";
import { eventEnvelope, slashCommandFields } from "../../support/fake-slack-delivery.ts";
import {
  mentionOfBot,
  messageEvent,
  SLACK_CHAT_MODEL_LINE,
  type SlackHarness,
  startSlackHarness,
  TEST_APP_TOKEN,
} from "../../support/fake-slack-harness.ts";

let harness: SlackHarness;
beforeAll(async () => {
  harness = await startSlackHarness({ socketMode: true });
});
afterAll(async () => {
  await harness?.close();
});

describe("Slack over Socket Mode", () => {
  it("connects with the app token and serves no HTTP port", async () => {
    await harness.slack.socket.connected();
    expect(harness.adapter.port).toBeUndefined();
    expect(harness.slack.callsTo("apps.connections.open")[0]?.authorization).toBe(`Bearer ${TEST_APP_TOKEN}`);
  });

  it("answers a mention delivered over the socket", async () => {
    const ts = "1710000400.000100";
    const ack = await harness.slack.socket.send(
      "events_api",
      eventEnvelope(
        messageEvent({ type: "app_mention", channel: "C40", ts, text: mentionOfBot("over the socket") }),
      ),
    );
    expect(ack.elapsedMs).toBeLessThan(3_000);
    const answer = await harness.slack.waitFor(() =>
      harness.slack
        .thread("C40", ts)
        .find((message) => message.text.endsWith(`over the socket\n\n${SLACK_CHAT_MODEL_LINE}`)),
    );
    expect(answer.text).toBe(`Echo: Person U0ANN: over the socket\n\n${SLACK_CHAT_MODEL_LINE}`);
    await harness.adapter.idle();
  });

  it("acknowledges a slash command over the socket at once and answers in a thread", async () => {
    harness.provider.enqueue({ text: "Slow but sure.", firstChunkDelayMs: 1_500 });
    const fields = slashCommandFields({
      command: "/ask",
      text: "via socket",
      channel: "C41",
      user: "U0SOC",
      responseUrl: harness.slack.responseUrl(),
    });
    const ack = await harness.slack.socket.send("slash_commands", fields);
    expect(ack.elapsedMs).toBeLessThan(1_000);
    const root = await harness.slack.waitFor(() =>
      harness.slack.thread("C41", undefined).find((message) => message.text.includes("Slow but sure.")),
    );
    expect(root.text).toContain("/ask via socket");
    await harness.adapter.idle();
  });

  it("offers suggested prompts when an assistant thread starts", async () => {
    const started = {
      type: "assistant_thread_started",
      assistant_thread: {
        user_id: "U0ANN",
        context: { channel_id: "C40", team_id: FAKE_TEAM_ID, enterprise_id: null },
        channel_id: "D40",
        thread_ts: "1710000410.000100",
      },
      event_ts: "1710000410.000200",
    };
    await harness.slack.socket.send("events_api", eventEnvelope(started));
    const call = await harness.slack.waitFor(
      () => harness.slack.callsTo("assistant.threads.setSuggestedPrompts")[0],
    );
    expect(call.params.channel_id).toBe("D40");
    expect(call.params.thread_ts).toBe("1710000410.000100");
    expect(call.params.prompts).toEqual(SUGGESTED_PROMPTS.map((prompt) => ({ ...prompt })));
  });

  it("answers in an assistant thread with a status, a title and the answer in the thread", async () => {
    const threadTs = "1710000410.000100";
    const message = messageEvent({
      channel: "D40",
      channelType: "im",
      ts: "1710000411.000100",
      threadTs,
      text: "Explain how HTTPS keeps a connection private",
    });
    await harness.slack.socket.send("events_api", eventEnvelope(message));
    const answer = await harness.slack.waitFor(() =>
      harness.slack
        .thread("D40", threadTs)
        .find((posted) => posted.text.includes("keeps a connection private")),
    );
    await harness.adapter.idle();
    expect(answer.threadTs).toBe(threadTs);
    const status = harness.slack.callsTo("assistant.threads.setStatus")[0];
    expect(status?.params).toMatchObject({ channel_id: "D40", thread_ts: threadTs, status: THINKING_STATUS });
    const title = harness.slack.callsTo("assistant.threads.setTitle")[0];
    expect(title?.params).toMatchObject({ channel_id: "D40", thread_ts: threadTs });
    expect(String(title?.params.title)).toContain("Explain how HTTPS");
    // An assistant thread shows the status instead of a placeholder message.
    expect(answer.history[0]).not.toContain("Thinking");
  });

  it("stop() resolves once the socket is closed", async () => {
    await harness.adapter.stop();
    const state = await Promise.race([
      harness.slack.socket.closed().then(() => "closed"),
      new Promise((resolve) => setTimeout(() => resolve("still open"), 200)),
    ]);
    expect(state).toBe("closed");
  });
});
