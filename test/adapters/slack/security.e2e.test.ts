// End to end over HTTP: requests Slack did not sign, or signed too long ago, are refused before anything runs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  deliverCommand,
  deliverEvent,
  eventEnvelope,
  signSlackRequest,
  slashCommandFields,
} from "../../support/fake-slack-delivery.ts";
import {
  mentionOfBot,
  messageEvent,
  type SlackHarness,
  startSlackHarness,
} from "../../support/fake-slack-harness.ts";

let harness: SlackHarness;
beforeAll(async () => {
  harness = await startSlackHarness();
});
afterAll(async () => {
  await harness?.close();
});

const mention = () =>
  eventEnvelope(
    messageEvent({ type: "app_mention", channel: "C30", ts: "1710000300.000100", text: mentionOfBot("hi") }),
  );

/** Nothing reached the provider and Slack saw nothing but the start-up auth.test. */
async function expectNothingProcessed(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  await harness.adapter.idle();
  expect(harness.provider.chatRequests()).toHaveLength(0);
  expect(harness.slack.calls.filter((call) => call.method !== "auth.test")).toHaveLength(0);
  expect(harness.slack.responses).toHaveLength(0);
}

describe("Slack request verification", () => {
  it("refuses an event with a forged signature (401)", async () => {
    const forged = signSlackRequest(
      "not-the-secret",
      Math.floor(Date.now() / 1000),
      JSON.stringify(mention()),
    );
    const delivery = await deliverEvent(harness.bot, mention(), { signature: forged });
    expect(delivery.status).toBe(401);
    await expectNothingProcessed();
  });

  it("refuses a correctly signed event older than 5 minutes (401)", async () => {
    const delivery = await deliverEvent(harness.bot, mention(), {
      timestampSec: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(delivery.status).toBe(401);
    await expectNothingProcessed();
  });

  it("refuses a slash command with a forged signature (401)", async () => {
    const fields = slashCommandFields({
      command: "/ask",
      text: "hi",
      channel: "C30",
      user: "U0EVE",
      responseUrl: harness.slack.responseUrl(),
    });
    const delivery = await deliverCommand(harness.bot, fields, { signature: "v0=0000" });
    expect(delivery.status).toBe(401);
    await expectNothingProcessed();
  });

  it("processes the same event once it is signed correctly (the control case)", async () => {
    const delivery = await deliverEvent(harness.bot, mention());
    expect(delivery.status).toBe(200);
    await harness.slack.waitFor(() => harness.provider.chatRequests().length > 0 || undefined);
    await harness.adapter.idle();
    expect(harness.slack.thread("C30", "1710000300.000100").length).toBeGreaterThan(0);
  });
});
