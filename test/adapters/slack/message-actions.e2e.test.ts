// End to end over HTTP: a message's shortcuts (Explain, Summarize, Translate to English) answer privately about it.
import { afterAll, beforeAll, expect, it } from "vitest";
import { EMPTY_TARGET_TEXT } from "../../../adapters/slack/message-actions.ts";
import { FAKE_TEAM_ID } from "../../support/fake-slack.ts";
import { deliverInteraction, messageActionPayload } from "../../support/fake-slack-delivery.ts";
import { type SlackHarness, startSlackHarness } from "../../support/fake-slack-harness.ts";

let harness: SlackHarness;
beforeAll(async () => {
  harness = await startSlackHarness();
});
afterAll(async () => {
  await harness?.close();
});

/** Picks a shortcut on a message; checks Slack got its 200 within the 3-second deadline. */
async function pick(
  callbackId: string,
  channel: string,
  message: { ts: string; user: string; text: string; threadTs?: string },
) {
  const responseUrl = harness.slack.responseUrl();
  const delivery = await deliverInteraction(
    harness.bot,
    messageActionPayload({ callbackId, channel, message, responseUrl, teamId: FAKE_TEAM_ID }),
  );
  expect(delivery.status).toBe(200);
  expect(delivery.elapsedMs).toBeLessThan(3_000);
  return responseUrl.split("/").at(-1) ?? "";
}

/** The last private text sent to a response_url once it shows the model line (the answer finished). */
async function privateAnswer(responseId: string): Promise<string> {
  const post = await harness.slack.waitFor(() =>
    harness.slack.responses
      .filter((response) => response.id === responseId)
      .find(
        (response) =>
          String(response.body.text).includes("_Model: ") || response.body.text === EMPTY_TARGET_TEXT,
      ),
  );
  expect(post.body.response_type).toBe("ephemeral");
  return String(post.body.text);
}

/** The messages of the last chat request the provider received, as JSON text. */
function lastPrompt(): string {
  const last = harness.provider.chatRequests().at(-1);
  if (!last) throw new Error("no chat request reached the provider");
  return JSON.stringify(last.messages);
}

it("Explain answers privately about the chosen message, and posts nothing in the channel", async () => {
  const target = harness.slack.addUserMessage({
    channel: "C1",
    user: "U0ANN",
    text: "The p99 regressed after the GC change.",
  });
  const responseId = await pick("parley_explain", "C1", target);
  const answer = await privateAnswer(responseId);
  expect(answer).toContain("The p99 regressed after the GC change.");
  expect(lastPrompt()).toContain("Explain the following message in plain words");
  expect(harness.slack.messages.filter((message) => message.channel === "C1")).toEqual([]);
});

it("Translate to English quotes the message alone", async () => {
  harness.slack.addUserMessage({ channel: "C2", user: "U0ANN", text: "Context that stays out." });
  const target = harness.slack.addUserMessage({
    channel: "C2",
    user: "U0ANN",
    text: "¿Movemos la reunión al jueves?",
  });
  await privateAnswer(await pick("parley_translate", "C2", target));
  expect(lastPrompt()).toContain("Translate the following message into English");
  expect(lastPrompt()).toContain("¿Movemos la reunión al jueves?");
  expect(lastPrompt()).not.toContain("Context that stays out.");
});

it("Summarize reads the thread up to the chosen message, root first, and nothing after it", async () => {
  const root = harness.slack.addUserMessage({ channel: "C3", user: "U0ANN", text: "Release plan?" });
  harness.slack.addUserMessage({ channel: "C3", user: "U0BOB", text: "Ship on Tuesday.", threadTs: root.ts });
  const target = harness.slack.addUserMessage({
    channel: "C3",
    user: "U0ANN",
    text: "Agreed, Tuesday.",
    threadTs: root.ts,
  });
  harness.slack.addUserMessage({ channel: "C3", user: "U0BOB", text: "A later reply.", threadTs: root.ts });
  await privateAnswer(await pick("parley_summarize", "C3", target));
  const prompt = lastPrompt();
  expect(prompt).toContain("Summarize the following conversation");
  const order = ["Release plan?", "Ship on Tuesday.", "(selected): Agreed, Tuesday."].map((text) =>
    prompt.indexOf(text),
  );
  expect(order.every((index) => index > -1)).toBe(true);
  expect([...order].sort((first, second) => first - second)).toEqual(order);
  expect(prompt).not.toContain("A later reply.");
  expect(harness.slack.callsTo("conversations.replies").at(-1)?.params).toMatchObject({
    channel: "C3",
    ts: root.ts,
  });
});

it("Summarize outside a thread reads the channel's recent messages; unreadable history summarizes the message alone", async () => {
  harness.slack.addUserMessage({ channel: "C4", user: "U0BOB", text: "Budget is 10k." });
  const target = harness.slack.addUserMessage({
    channel: "C4",
    user: "U0ANN",
    text: "Then we book the loft.",
  });
  await privateAnswer(await pick("parley_summarize", "C4", target));
  expect(lastPrompt()).toContain("Budget is 10k.");
  harness.slack.failNext("conversations.history", "not_in_channel");
  await privateAnswer(await pick("parley_summarize", "C4", target));
  expect(lastPrompt()).toContain("Then we book the loft.");
  expect(lastPrompt()).not.toContain("Budget is 10k.");
});

it("a message with nothing to read gets a sentence, privately", async () => {
  const target = harness.slack.addUserMessage({ channel: "C5", user: "U0ANN", text: "" });
  expect(await privateAnswer(await pick("parley_explain", "C5", target))).toBe(EMPTY_TARGET_TEXT);
});
