// End to end over HTTP: Stop and 👍/👎 blocks on Slack answers, pressed by the asker, by someone else, by an admin.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  FEEDBACK_ACTION_ID,
  RETRY_ACTION_ID,
  STOP_ACTION_ID,
} from "../../../adapters/slack/control-blocks.ts";
import { NOT_YOURS_TO_RETRY, NOT_YOURS_TO_STOP } from "../../../src/controls/reply-controls.ts";
import type { FakeSlackMessage } from "../../support/fake-slack.ts";
import {
  blockActionsPayload,
  deliverCommand,
  deliverEvent,
  deliverInteraction,
  eventEnvelope,
  slashCommandFields,
} from "../../support/fake-slack-delivery.ts";
import {
  mentionOfBot,
  messageEvent,
  type SlackHarness,
  startSlackHarness,
} from "../../support/fake-slack-harness.ts";

const ASKER = "U0ANN";
const SOMEONE_ELSE = "U0BOB";
const ADMIN = "U0ADMIN";

let harness: SlackHarness;
beforeAll(async () => {
  harness = await startSlackHarness({ workspaceAdmins: [ADMIN] });
});
afterAll(async () => {
  await harness?.close();
});
afterEach(async () => {
  await harness.adapter.idle();
});

const SLOW_ANSWER = {
  text: "One. Two. Three. Four. Five. Six. Seven. Eight. Nine. Ten. Eleven. Twelve.",
  chunkSize: 5,
  chunkDelayMs: 250,
};

/** The action ids (and button values) a message's blocks offer now. */
function controlsOf(message: FakeSlackMessage): { actionId: string; value: string }[] {
  return (message.blocks ?? []).flatMap((block) =>
    ((block.elements ?? []) as Record<string, unknown>[]).flatMap((element) => {
      if (element.type === "feedback_buttons") {
        const positive = element.positive_button as { value: string };
        const negative = element.negative_button as { value: string };
        return [
          { actionId: String(element.action_id), value: positive.value },
          { actionId: String(element.action_id), value: negative.value },
        ];
      }
      return [{ actionId: String(element.action_id), value: String(element.value) }];
    }),
  );
}

/** Mentions the bot in a new thread; resolves with the answer's message once `ready` holds for it. */
async function mention(ts: string, ready: (message: FakeSlackMessage) => boolean): Promise<FakeSlackMessage> {
  await deliverEvent(
    harness.bot,
    eventEnvelope(messageEvent({ type: "app_mention", channel: "C30", ts, text: mentionOfBot("count") })),
  );
  return harness.slack.waitFor(() => harness.slack.thread("C30", ts).find((message) => ready(message)));
}

/** Presses a control of `message` as `user`; resolves once Bolt acknowledged it. */
async function press(message: FakeSlackMessage, user: string, control: { actionId: string; value: string }) {
  const action =
    control.actionId !== FEEDBACK_ACTION_ID
      ? { type: "button", action_id: control.actionId, block_id: "b1", value: control.value }
      : { type: "feedback_buttons", action_id: control.actionId, block_id: "b2", value: control.value };
  const delivered = await deliverInteraction(
    harness.bot,
    blockActionsPayload({
      user,
      channel: message.channel,
      messageTs: message.ts,
      ...(message.threadTs ? { threadTs: message.threadTs } : {}),
      action,
    }),
  );
  expect(delivered.status).toBe(200);
  expect(delivered.elapsedMs).toBeLessThan(3_000);
}

const ephemeralsTo = (user: string) =>
  harness.slack.callsTo("chat.postEphemeral").filter((call) => call.params.user === user);

const hasStop = (message: FakeSlackMessage) =>
  controlsOf(message).some((control) => control.actionId === STOP_ACTION_ID);

describe("Stop on Slack", () => {
  it("the asker stops a streaming answer: the provider request closes, the text stays, the button goes", async () => {
    harness.provider.enqueue(SLOW_ANSWER);
    const streaming = await mention("1720000000.000100", hasStop);
    const stop = controlsOf(streaming).find((control) => control.actionId === STOP_ACTION_ID);
    if (!stop) throw new Error("no Stop button");
    const pressedAt = Date.now();
    await press(streaming, ASKER, stop);
    await harness.slack.waitFor(() => harness.provider.requests.at(-1)?.closedByClient || undefined);
    expect(Date.now() - pressedAt).toBeLessThan(1_000);
    await harness.adapter.idle();
    expect(streaming.text).toContain("Stopped before it was finished.");
    expect(streaming.text).not.toContain("Twelve.");
    expect(controlsOf(streaming)).toEqual([]);
  });

  it("someone else is told privately and the answer goes on; a workspace admin may stop it", async () => {
    harness.provider.enqueue(SLOW_ANSWER);
    const streaming = await mention("1720000000.000200", hasStop);
    const stop = controlsOf(streaming).find((control) => control.actionId === STOP_ACTION_ID);
    if (!stop) throw new Error("no Stop button");
    await press(streaming, SOMEONE_ELSE, stop);
    await harness.slack.waitFor(() => ephemeralsTo(SOMEONE_ELSE).at(-1));
    expect(ephemeralsTo(SOMEONE_ELSE).at(-1)?.params.text).toBe(NOT_YOURS_TO_STOP);
    expect(harness.provider.requests.at(-1)?.closedByClient).toBe(false);

    await press(streaming, ADMIN, stop);
    await harness.adapter.idle();
    expect(harness.provider.requests.at(-1)?.closedByClient).toBe(true);
    expect(streaming.text).toContain("Stopped before it was finished.");
    expect(streaming.text).not.toContain("Twelve.");
  });
});

describe("Slack's own stop (agent_session_stopped)", () => {
  it("stops the answer streaming in that thread when its asker presses it; someone else's does not", async () => {
    harness.provider.enqueue(SLOW_ANSWER);
    const ts = "1720000000.000500";
    const streaming = await mention(ts, hasStop);
    const stopEvent = (user: string) =>
      eventEnvelope({
        type: "agent_session_stopped",
        channel: "C30",
        thread_ts: ts,
        user,
        streaming_message_ts: [],
        event_ts: String(Date.now() / 1000),
      });
    await deliverEvent(harness.bot, stopEvent(SOMEONE_ELSE));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(harness.provider.requests.at(-1)?.closedByClient).toBe(false);

    const pressedAt = Date.now();
    expect((await deliverEvent(harness.bot, stopEvent(ASKER))).status).toBe(200);
    await harness.slack.waitFor(() => harness.provider.requests.at(-1)?.closedByClient || undefined);
    expect(Date.now() - pressedAt).toBeLessThan(1_000);
    await harness.adapter.idle();
    expect(streaming.text).toContain("Stopped before it was finished.");
    expect(controlsOf(streaming)).toEqual([]);
  });
});

describe("feedback on Slack", () => {
  it("a finished answer ends with a context_actions feedback row; votes change and reach admins' /usage", async () => {
    const answered = await mention("1720000000.000300", (message) =>
      controlsOf(message).some((control) => control.actionId === FEEDBACK_ACTION_ID),
    );
    const feedbackBlock = answered.blocks?.at(-1);
    expect(feedbackBlock?.type).toBe("context_actions");
    const [up, down] = controlsOf(answered);
    if (!up || !down) throw new Error("no feedback buttons");
    expect(answered.blocks?.[0]).toMatchObject({ type: "section", text: { type: "mrkdwn" } });

    await press(answered, ASKER, up);
    await harness.slack.waitFor(() => ephemeralsTo(ASKER).at(-1));
    expect(ephemeralsTo(ASKER).at(-1)?.params.text).toBe("Thanks for the 👍.");
    await press(answered, ASKER, down);
    await harness.slack.waitFor(() => (ephemeralsTo(ASKER).length >= 2 ? true : undefined));

    await deliverCommand(
      harness.bot,
      slashCommandFields({
        command: "/usage",
        text: "",
        channel: "C30",
        user: ADMIN,
        responseUrl: `${harness.slack.responseUrl()}`,
      }),
    );
    await harness.adapter.idle();
    const shown = JSON.stringify(harness.slack.responses.map((response) => response.body));
    expect(shown).toContain("Feedback this month");
    expect(shown).toContain("👍 0 · 👎 1");
  });
});

describe("Retry on Slack", () => {
  it("a cut stream offers Retry; someone else is refused; the asker's press answers again in the thread", async () => {
    harness.provider.enqueue({
      text: "The first half, then the connection drops",
      chunkSize: 6,
      cutAfterChars: 14,
    });
    const ts = "1720000000.000400";
    const cut = await mention(ts, (message) =>
      controlsOf(message).some((control) => control.actionId === RETRY_ACTION_ID),
    );
    await harness.adapter.idle();
    expect(cut.text).toContain("The first");
    const retry = controlsOf(cut).find((control) => control.actionId === RETRY_ACTION_ID);
    if (!retry) throw new Error("no Retry button");
    const requestsBefore = harness.provider.chatRequests().length;

    await press(cut, SOMEONE_ELSE, retry);
    await harness.slack.waitFor(() =>
      ephemeralsTo(SOMEONE_ELSE).find((call) => call.params.text === NOT_YOURS_TO_RETRY),
    );
    expect(harness.provider.chatRequests()).toHaveLength(requestsBefore);

    await press(cut, ASKER, retry);
    const again = await harness.slack.waitFor(() =>
      harness.slack
        .thread("C30", ts)
        .find((message) => message.ts !== cut.ts && message.text.startsWith("Echo:") && !message.deleted),
    );
    await harness.adapter.idle();
    expect(again.text).toContain("count");
    expect(controlsOf(again).map((control) => control.actionId)).toEqual([
      FEEDBACK_ACTION_ID,
      FEEDBACK_ACTION_ID,
    ]);
    const [first, second] = harness.provider.chatRequests().slice(-2);
    expect(second?.model).toBe(first?.model);
    expect(JSON.stringify(second?.messages.at(-1))).toContain("count");
  });
});
