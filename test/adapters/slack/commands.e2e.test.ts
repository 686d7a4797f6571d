// End to end over HTTP: every slash command, acknowledged at once, answered in a thread or privately.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CANNOT_POST_HERE_TEXT } from "../../../adapters/slack/commands.ts";
import {
  deliverCommand,
  deliverEvent,
  eventEnvelope,
  slashCommandFields,
} from "../../support/fake-slack-delivery.ts";
import {
  messageEvent,
  SLACK_CHAT_MODEL_LINE,
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

/** Runs a slash command; checks Slack got its empty 200 within the 3-second deadline. */
async function command(name: string, text: string, channel = "C9", threadTs?: string) {
  const responseUrl = harness.slack.responseUrl();
  const fields = slashCommandFields({
    command: `/${name}`,
    text,
    channel,
    user: "U0BEA",
    responseUrl,
    threadTs,
  });
  const delivery = await deliverCommand(harness.bot, fields);
  expect(delivery.status).toBe(200);
  expect(delivery.text).toBe("");
  expect(delivery.elapsedMs).toBeLessThan(3_000);
  return { responseId: responseUrl.split("/").at(-1) ?? "", delivery };
}

/** The private answers sent to one response_url. */
async function privateAnswer(responseId: string): Promise<string> {
  const post = await harness.slack.waitFor(() =>
    harness.slack.responses.find((response) => response.id === responseId),
  );
  expect(post.body.response_type).toBe("ephemeral");
  return String(post.body.text);
}

/** Waits for a finished top-level answer in a channel whose header shows `typed`. */
async function threadRootFor(channel: string, typed: string) {
  const root = await harness.slack.waitFor(() =>
    harness.slack
      .thread(channel, undefined)
      .find((message) => message.text.includes(typed) && message.text.includes("_Model: ")),
  );
  await harness.adapter.idle();
  return root;
}

const lastRequest = () => harness.provider.chatRequests().at(-1);

describe("Slack slash commands over HTTP", () => {
  it("/ask posts a message that starts a thread, question quoted above the answer", async () => {
    await command("ask", "why is the sky blue?");
    const root = await threadRootFor("C9", "/ask why is the sky blue?");
    expect(root.threadTs).toBeUndefined();
    expect(root.text).toBe(
      `> *u0bea*: /ask why is the sky blue?\nEcho: u0bea: why is the sky blue?\n\n${SLACK_CHAT_MODEL_LINE}`,
    );
    // The thread is the conversation: a follow-up in it continues without a mention.
    await deliverEvent(
      harness.bot,
      eventEnvelope(
        messageEvent({ channel: "C9", ts: "1710000100.000100", threadTs: root.ts, text: "and at sunset?" }),
      ),
    );
    await harness.slack.waitFor(() =>
      harness.slack
        .thread("C9", root.ts)
        .find(
          (message) =>
            message.threadTs === root.ts &&
            message.text.endsWith(`and at sunset?\n\n${SLACK_CHAT_MODEL_LINE}`),
        ),
    );
    expect(JSON.stringify(lastRequest()?.messages)).toContain("why is the sky blue?");
  });

  it("/ask typed in a thread answers in that thread when Slack says which", async () => {
    const threadTs = "1710000150.000100";
    await command("ask", "inside the thread", "C16", threadTs);
    const answer = await harness.slack.waitFor(() =>
      harness.slack
        .thread("C16", threadTs)
        .find((message) => message.text.endsWith(`inside the thread\n\n${SLACK_CHAT_MODEL_LINE}`)),
    );
    await harness.adapter.idle();
    expect(answer.threadTs).toBe(threadTs);
    expect(answer.text).toBe(
      `> *u0bea*: /ask inside the thread\nEcho: u0bea: inside the thread\n\n${SLACK_CHAT_MODEL_LINE}`,
    );
    expect(harness.slack.thread("C16", undefined)).toHaveLength(0);
    // The conversation is the thread: a reply there continues it.
    await deliverEvent(
      harness.bot,
      eventEnvelope(
        messageEvent({ channel: "C16", ts: "1710000151.000100", threadTs, text: "tell me more" }),
      ),
    );
    await harness.slack.waitFor(() =>
      harness.slack
        .thread("C16", threadTs)
        .find((message) => message.text.endsWith(`tell me more\n\n${SLACK_CHAT_MODEL_LINE}`)),
    );
    await harness.adapter.idle();
  });

  it("/ask model:<name> answers with that model", async () => {
    await command("ask", "model:gpt-4o-mini tell me a joke");
    await threadRootFor("C9", "tell me a joke");
    expect(lastRequest()?.model).toBe("gpt-4o-mini");
  });

  it("/search asks the search model and lists Sources as clickable links", async () => {
    harness.provider.enqueue({
      text: "Node.js 24 is the active LTS line.",
      annotations: [{ url: "https://nodejs.org/en/about/previous-releases", title: "Node.js releases" }],
    });
    await command("search", "latest Node.js LTS");
    const root = await harness.slack.waitFor(() =>
      harness.slack.thread("C9", undefined).find((message) => message.text.includes("Node.js releases")),
    );
    await harness.adapter.idle();
    expect(lastRequest()?.model).toBe(harness.parley.config.models.search);
    expect(root.text).toContain("/search latest Node.js LTS");
    expect(root.text).toContain("<https://nodejs.org/en/about/previous-releases|Node.js releases>");
  });

  it("/reason takes a leading effort word", async () => {
    await command("reason", "high why do cats purr");
    const root = await threadRootFor("C9", "why do cats purr");
    expect(root.text).toContain("/reason effort:high why do cats purr");
    expect(lastRequest()?.reasoning_effort).toBe("high");
    expect(lastRequest()?.model).toBe(harness.parley.config.models.reason);
  });

  it("/reason with a mistaken effort is refused privately with the choices, nothing sent as a prompt", async () => {
    const before = harness.provider.chatRequests().length;
    for (const [typed, channel] of [
      ["extreme why is the sky blue", "C17"],
      ["effort:ultra why is the sky blue", "C18"],
    ] as const) {
      const { responseId } = await command("reason", typed, channel);
      const text = await privateAnswer(responseId);
      expect(text).toContain("effort must be low, medium or high, not");
      await harness.adapter.idle();
      expect(harness.slack.thread(channel, undefined)).toHaveLength(0);
    }
    expect(harness.provider.chatRequests()).toHaveLength(before);
  });

  it("/model shows and sets the channel's model privately", async () => {
    const shown = await command("model", "", "C10");
    expect(await privateAnswer(shown.responseId)).toContain(harness.parley.config.models.chat);
    const set = await command("model", "gpt-4o-mini", "C10");
    expect(await privateAnswer(set.responseId)).toContain("gpt-4o-mini");
    await command("ask", "which model are you", "C10");
    await threadRootFor("C10", "which model are you");
    expect(lastRequest()?.model).toBe("gpt-4o-mini");
  });

  it("/reset, /usage and /help answer privately", async () => {
    const answers: string[] = [];
    for (const name of ["reset", "usage", "help"]) {
      const { responseId } = await command(name, "", "C11");
      answers.push(await privateAnswer(responseId));
    }
    // A slash command does not say which thread it came from: /reset says how to reset one instead.
    expect(answers[0]).toBe(
      "There is nothing to forget here yet. To reset a thread, write `@parley /reset` in it.",
    );
    expect(answers[1]).toContain("*You*");
    expect(answers[2]).toContain("/ask");
    expect(harness.slack.thread("C11", undefined)).toHaveLength(0);
  });

  it("/ask without a prompt is answered privately, nothing posted in the channel", async () => {
    const { responseId } = await command("ask", "", "C12");
    // Typed in the channel, where a slash command works: the example is one.
    expect(await privateAnswer(responseId)).toBe(
      ":warning: Please include a prompt, for example `/ask what is a monad?`.",
    );
    await harness.adapter.idle();
    expect(harness.slack.messages.filter((message) => message.channel === "C12")).toHaveLength(0);
  });

  it("a provider error reaches the asker privately and the placeholder goes away", async () => {
    harness.provider.enqueue({ error: { status: 401, message: "This request requires a valid API key" } });
    const { responseId } = await command("ask", "will this fail", "C13");
    const text = await privateAnswer(responseId);
    expect(text).toContain(":warning:");
    await harness.adapter.idle();
    expect(harness.slack.thread("C13", undefined)).toHaveLength(0);
    expect(harness.slack.callsTo("chat.delete").length).toBeGreaterThan(0);
  });

  it("acknowledges at once even when the first token takes longer than 3 seconds", async () => {
    harness.provider.enqueue({ text: "Worth the wait.", firstChunkDelayMs: 3_300 });
    const { delivery } = await command("ask", "take your time", "C14");
    expect(delivery.elapsedMs).toBeLessThan(1_000);
    const root = await harness.slack.waitFor(
      () =>
        harness.slack.thread("C14", undefined).find((message) => message.text.includes("Worth the wait.")),
      15_000,
    );
    expect(root.history[0]).toContain("_Thinking…_");
  });

  it("says so privately when it may not post in the channel", async () => {
    harness.slack.failNext("chat.postMessage", "not_in_channel");
    const { responseId } = await command("ask", "hello?", "C15");
    expect(await privateAnswer(responseId)).toBe(CANNOT_POST_HERE_TEXT);
  });
});
