// End to end on Slack (Bolt over HTTP): /settings by workspace admins and others, limits, and the allow-lists.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { USER_NOT_ALLOWED } from "../../../src/policy/access.ts";
import { NOT_ADMIN_MESSAGE } from "../../../src/policy/admins.ts";
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

/** Runs a slash command as `user`; resolves with the id of its response_url. */
async function command(harness: SlackHarness, name: string, text: string, user: string, channel = "C1") {
  const responseUrl = harness.slack.responseUrl();
  const delivery = await deliverCommand(
    harness.bot,
    slashCommandFields({ command: `/${name}`, text, channel, user, responseUrl }),
  );
  expect(delivery.status).toBe(200);
  return responseUrl.split("/").at(-1) ?? "";
}

/** The private answer sent to one response_url. */
async function privateAnswer(harness: SlackHarness, responseId: string): Promise<string> {
  const post = await harness.slack.waitFor(() =>
    harness.slack.responses.find((response) => response.id === responseId),
  );
  expect(post.body.response_type).toBe("ephemeral");
  return String(post.body.text);
}

/** Waits for the top-level answer in `channel` whose text includes `typed` to be finished. */
async function answerFor(harness: SlackHarness, channel: string, typed: string) {
  const root = await harness.slack.waitFor(() =>
    harness.slack
      .thread(channel, undefined)
      .find((message) => message.text.includes(typed) && message.text.includes("Echo:")),
  );
  await harness.adapter.idle();
  return root;
}

describe("/settings on Slack", () => {
  let harness: SlackHarness;
  beforeAll(async () => {
    harness = await startSlackHarness({ workspaceAdmins: ["U0ADMIN"] });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("a workspace admin sets the channel's prompt; the next request carries it", async () => {
    const set = await command(harness, "settings", "prompt You answer in haiku.", "U0ADMIN", "C20");
    expect(await privateAnswer(harness, set)).toContain("> You answer in haiku.");
    expect(harness.slack.callsTo("users.info").some((call) => call.params.user === "U0ADMIN")).toBe(true);

    await command(harness, "ask", "describe the sea", "U0ANN", "C20");
    await answerFor(harness, "C20", "describe the sea");
    expect(harness.provider.chatRequests().at(-1)?.messages[0]).toEqual({
      role: "system",
      content: "You answer in haiku.",
    });
  });

  it("anyone else is refused privately and nothing changes", async () => {
    const refused = await command(harness, "settings", "prompt You are a cat.", "U0ANN", "C20");
    expect(await privateAnswer(harness, refused)).toBe(`:warning: ${NOT_ADMIN_MESSAGE}`);
    const shown = await command(harness, "settings", "", "U0ANN", "C20");
    const text = await privateAnswer(harness, shown);
    expect(text).toContain("> You answer in haiku.");
    expect(text).not.toContain("cat");
  });

  it("an admin forgets a person named by an escaped mention", async () => {
    const forget = await command(harness, "settings", "forget <@U0ANN|ann>", "U0ADMIN", "C20");
    expect(await privateAnswer(harness, forget)).toMatch(
      /^Forgot U0ANN in this workspace: deleted 1 conversation/,
    );
  });
});

describe("limits on Slack", () => {
  let harness: SlackHarness;
  beforeAll(async () => {
    harness = await startSlackHarness({
      env: { LIMIT_USER_DAILY_TOKENS: "100", LIMIT_USER_TURNS_PER_MINUTE: "2", LIMIT_USER_CONCURRENT: "1" },
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("a user over the daily limit is refused privately with the reset time, and the channel keeps nothing", async () => {
    harness.provider.enqueue({ usage: { prompt_tokens: 80, completion_tokens: 40 } });
    await command(harness, "ask", "a long question", "U0ADA", "C30");
    await answerFor(harness, "C30", "a long question");
    const before = harness.provider.chatRequests().length;
    const refused = await command(harness, "ask", "and another", "U0ADA", "C30");
    expect(await privateAnswer(harness, refused)).toMatch(
      /^:warning: Your daily limit of 100 tokens is used up \(120 used today\); it resets at 00:00 UTC \(in .+\)\.$/,
    );
    await harness.adapter.idle();
    expect(harness.provider.chatRequests()).toHaveLength(before);
    expect(
      harness.slack.thread("C30", undefined).filter((message) => message.text.includes("and another")),
    ).toEqual([]);
  });

  it("the rate limit and the concurrency limit", async () => {
    const small = { usage: { prompt_tokens: 5, completion_tokens: 5 } };
    harness.provider.enqueue(small, small);
    for (const prompt of ["rate one", "rate two"]) {
      await command(harness, "ask", prompt, "U0REX", "C31");
      await answerFor(harness, "C31", prompt);
    }
    const third = await command(harness, "ask", "rate three", "U0REX", "C31");
    expect(await privateAnswer(harness, third)).toContain("Your limit of 2 questions a minute is reached");

    harness.provider.enqueue({
      ...small,
      text: "a slow answer, word by word",
      chunkSize: 2,
      chunkDelayMs: 60,
    });
    await command(harness, "ask", "slow", "U0SAM", "C32");
    await harness.slack.waitFor(() =>
      harness.slack.thread("C32", undefined).find((message) => message.text.includes("a slow")),
    );
    const meanwhile = await command(harness, "ask", "meanwhile", "U0SAM", "C33");
    expect(await privateAnswer(harness, meanwhile)).toContain(
      "Your limit of 1 answer at a time is reached (1 being written)",
    );
    await harness.adapter.idle();
  });
});

describe("allow-lists on Slack", () => {
  let harness: SlackHarness;
  beforeAll(async () => {
    harness = await startSlackHarness({ env: { ALLOW_USERS: "U0ANN", ALLOW_DMS: "false" } });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("answers listed people, refuses others' commands privately and ignores their mentions and DMs", async () => {
    const refused = await command(harness, "ask", "may I?", "U0BOB", "C40");
    expect(await privateAnswer(harness, refused)).toBe(`:warning: ${USER_NOT_ALLOWED}`);

    await deliverEvent(
      harness.bot,
      eventEnvelope(
        messageEvent({
          type: "app_mention",
          channel: "C41",
          ts: "1710000200.000100",
          text: mentionOfBot("hi"),
          user: "U0BOB",
        }),
      ),
    );
    await deliverEvent(
      harness.bot,
      eventEnvelope(
        messageEvent({
          channel: "D42",
          ts: "1710000201.000100",
          text: "hi",
          user: "U0ANN",
          channelType: "im",
        }),
      ),
    );
    await deliverEvent(
      harness.bot,
      eventEnvelope(
        messageEvent({
          type: "app_mention",
          channel: "C41",
          ts: "1710000202.000100",
          text: mentionOfBot("me"),
          user: "U0ANN",
        }),
      ),
    );
    // With direct messages closed, opening parley's DM suggests nothing to ask.
    await deliverEvent(
      harness.bot,
      eventEnvelope({
        type: "app_home_opened",
        user: "U0ANN",
        channel: "D42",
        tab: "messages",
        event_ts: "1",
      }),
    );
    await harness.slack.waitFor(() =>
      harness.slack.messages.find(
        (message) => message.channel === "C41" && /: me\b[\s\S]*Model: /.test(message.text),
      ),
    );
    await harness.adapter.idle();
    // Nothing was posted for Bob's mention or the direct message, and only Ann's question reached the provider.
    expect(harness.slack.messages.filter((message) => message.channel === "D42")).toEqual([]);
    expect(harness.slack.callsTo("assistant.threads.setSuggestedPrompts")).toEqual([]);
    expect(harness.slack.callsTo("assistant.threads.setStatus")).toEqual([]);
    expect(harness.slack.thread("C41", "1710000200.000100")).toEqual([]);
    expect(harness.provider.chatRequests().map((body) => JSON.stringify(body.messages.at(-1)))).toEqual([
      expect.stringContaining("me"),
    ]);
  });
});
