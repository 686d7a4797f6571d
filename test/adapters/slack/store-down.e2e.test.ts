// Slack with its Redis store gone: a direct message is answered with the reason instead of silence.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORE_DOWN_MESSAGE } from "../../../src/store/store-errors.ts";
import { deliverEvent, eventEnvelope } from "../../support/fake-slack-delivery.ts";
import { messageEvent, type SlackHarness, startSlackHarness } from "../../support/fake-slack-harness.ts";
import { startTestRedis, type TestRedis } from "../../support/redis-server.ts";

let redis: TestRedis;
let harness: SlackHarness;

beforeAll(async () => {
  redis = await startTestRedis();
  harness = await startSlackHarness({ env: { STORE_URL: redis.url } });
  await redis.kill();
});
afterAll(async () => {
  await harness?.close();
  await redis?.close();
});

describe("Slack when the store is unreachable", () => {
  it("answers a direct message in its thread with the sentence saying why, and calls no provider", async () => {
    const { bot, slack } = harness;
    const ts = "1710000100.000100";
    await deliverEvent(
      bot,
      eventEnvelope(
        messageEvent({ channel: "D9", channelType: "im", ts, user: "U0EVE", text: "are you there?" }),
      ),
    );
    const answer = await slack.waitFor(() =>
      slack.thread("D9", ts).find((message) => message.text.includes(STORE_DOWN_MESSAGE)),
    );
    expect(answer.text).not.toContain("Echo");
    expect(harness.provider.chatRequests()).toHaveLength(0);
  });
});
