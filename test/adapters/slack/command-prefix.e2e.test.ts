// COMMAND_PREFIX on Slack: the app listens for the prefixed commands, shows them as typed and names them so.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  deliverCommand,
  deliverEvent,
  eventEnvelope,
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
  harness = await startSlackHarness({ env: { COMMAND_PREFIX: "ai-" } });
});
afterAll(async () => {
  await harness?.close();
});

/** Delivers a slash command as Slack would; returns the id of its response_url. */
async function command(typed: string, text: string, channel: string) {
  const responseUrl = harness.slack.responseUrl();
  const delivery = await deliverCommand(
    harness.bot,
    slashCommandFields({ command: typed, text, channel, user: "U0BEA", responseUrl }),
  );
  return { delivery, responseId: responseUrl.split("/").at(-1) ?? "" };
}

/** The private answer sent to one response_url. */
async function privateAnswer(responseId: string): Promise<string> {
  const post = await harness.slack.waitFor(() =>
    harness.slack.responses.find((response) => response.id === responseId),
  );
  return String(post.body.text);
}

describe("Slack with COMMAND_PREFIX=ai-", () => {
  it("/ai-ask answers in a thread under the question as it was typed", async () => {
    const { delivery } = await command("/ai-ask", "why is the sky blue?", "C31");
    expect(delivery.status).toBe(200);
    const root = await harness.slack.waitFor(() =>
      harness.slack.thread("C31", undefined).find((message) => message.text.includes("Echo:")),
    );
    await harness.adapter.idle();
    expect(root.text.split("\n")[0]).toBe("> *u0bea*: /ai-ask why is the sky blue?");
  });

  it("/ai-help and /ai-model name the commands with the prefix", async () => {
    const help = await privateAnswer((await command("/ai-help", "", "C32")).responseId);
    for (const name of ["ask", "search", "reason", "model", "reset", "usage", "help"])
      expect(help).toContain(`/ai-${name}`);
    const model = await privateAnswer((await command("/ai-model", "", "C32")).responseId);
    // Slack's formatting escapes the angle brackets of `<name>`.
    expect(model).toContain("Change it with `/ai-model &lt;name&gt;`.");
    expect(model).toContain("(/ai-search and /ai-reason use their own)");
  });

  it("does not take the unprefixed command, which belongs to another app here", async () => {
    const before = harness.provider.chatRequests().length;
    const { responseId } = await command("/ask", "are you there?", "C33");
    await new Promise((resolve) => setTimeout(resolve, 500));
    await harness.adapter.idle();
    expect(harness.slack.thread("C33", undefined)).toEqual([]);
    expect(harness.slack.responses.filter((response) => response.id === responseId)).toEqual([]);
    expect(harness.provider.chatRequests()).toHaveLength(before);
  });

  it("'@parley /ai-reset' in a thread forgets that thread", async () => {
    const root = "1710000300.000100";
    const mention = (ts: string, text: string) =>
      deliverEvent(
        harness.bot,
        eventEnvelope(
          messageEvent({
            type: "app_mention",
            channel: "C34",
            ts,
            ...(ts === root ? {} : { threadTs: root }),
            text: mentionOfBot(text),
          }),
        ),
      );
    await mention(root, "the password is swordfish");
    await harness.slack.waitFor(() =>
      harness.slack
        .thread("C34", root)
        .find((message) => message.text.includes("swordfish") && message.text.includes("Model: ")),
    );
    await harness.adapter.idle();
    await mention("1710000300.000101", "/ai-reset");
    await harness.slack.waitFor(() =>
      harness.slack.thread("C34", root).find((message) => message.text.includes("forgot this conversation")),
    );
  });
});
