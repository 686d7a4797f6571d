// Fifty answers streaming at once through Bolt share one workspace's chat.update budget: no 429, every answer whole.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverEvent, eventEnvelope } from "../support/fake-slack-delivery.ts";
import {
  mentionOfBot,
  messageEvent,
  SLACK_CHAT_MODEL_LINE,
  type SlackHarness,
  startSlackHarness,
} from "../support/fake-slack-harness.ts";
import type { FakeSlackRate } from "../support/fake-slack-limits.ts";
import { ANSWER_COUNT, answerFor, enqueueStreamedAnswers, questionFor } from "./streamed-answers.ts";

/** Tier 3 scaled down: 40 chat.update calls per 2 s for the workspace, for the fake and for parley alike. */
const UPDATE_RATE: FakeSlackRate = { limit: 40, windowMs: 2_000 };

let harness: SlackHarness;

beforeAll(async () => {
  harness = await startSlackHarness({ updateRate: UPDATE_RATE });
});

afterAll(async () => {
  await harness?.close();
});

const threadTsOf = (index: number): string => `1720000000.${String(index + 1).padStart(6, "0")}`;

describe("fifty Slack answers streaming at once", () => {
  it("spend the workspace's chat.update budget without a 429, and each ends with its complete text", async () => {
    enqueueStreamedAnswers(harness.provider);
    const channel = "CPACING";
    const deliveries = await Promise.all(
      Array.from({ length: ANSWER_COUNT }, (_, index) =>
        deliverEvent(
          harness.bot,
          eventEnvelope(
            messageEvent({
              type: "app_mention",
              channel,
              ts: threadTsOf(index),
              text: mentionOfBot(questionFor(index)),
            }),
          ),
        ),
      ),
    );
    expect(deliveries.map((delivery) => delivery.status)).toEqual(deliveries.map(() => 200));

    const finalTexts = () =>
      Array.from({ length: ANSWER_COUNT }, (_, index) =>
        harness.slack
          .thread(channel, threadTsOf(index))
          .map((message) => message.text)
          .join("\n"),
      );
    const expected = Array.from(
      { length: ANSWER_COUNT },
      (_, index) => `${answerFor(index)}\n\n${SLACK_CHAT_MODEL_LINE}`,
    );
    await harness.slack.waitFor(() => finalTexts().every((text, index) => text === expected[index]), 60_000);
    await harness.adapter.idle();

    expect(harness.slack.rateLimited).toEqual([]);
    expect(finalTexts()).toEqual(expected);
    const updates = harness.slack.callsTo("chat.update");
    // Each answer filled its placeholder and was finished by chat.update: the budget was really shared.
    expect(updates.length).toBeGreaterThanOrEqual(ANSWER_COUNT * 2);
    // Streaming still showed partial text along the way for some answers.
    const streamed = harness.slack.messages.filter((message) => message.history.length > 3);
    expect(streamed.length).toBeGreaterThan(0);
    // No window of the budget's length holds more calls than it allows (what the fake enforces, checked again).
    const times = updates.map((call) => call.atMs).sort((a, b) => a - b);
    for (let index = UPDATE_RATE.limit; index < times.length; index++) {
      expect((times[index] ?? 0) - (times[index - UPDATE_RATE.limit] ?? 0)).toBeGreaterThan(
        UPDATE_RATE.windowMs,
      );
    }
  }, 90_000);
});
