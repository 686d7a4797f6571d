// The interaction and channel surfaces against a recording stand-in for discord.js's REST client.
import type { REST } from "discord.js";
import { describe, expect, test, vi } from "vitest";
import { createChannelSurface } from "../../../adapters/discord/channel-surface.ts";
import { createInteractionSurface } from "../../../adapters/discord/interaction-surface.ts";
import { startTyping } from "../../../adapters/discord/typing.ts";

interface Call {
  method: string;
  route: string;
  body?: unknown;
}

/** A REST stand-in that records calls and answers each created message with a fresh id. */
function recordingRest(): { rest: REST; calls: Call[] } {
  const calls: Call[] = [];
  let nextId = 100;
  const record =
    (method: string) =>
    async (route: string, options: { body?: unknown } = {}): Promise<unknown> => {
      calls.push({ method, route, ...(options.body === undefined ? {} : { body: options.body }) });
      nextId += 1;
      return { id: String(nextId) };
    };
  const rest = { post: record("POST"), patch: record("PATCH"), delete: record("DELETE") };
  return { rest: rest as unknown as REST, calls };
}

const noPings = { parse: [], replied_user: false };

function interactionSurface(
  options: { deferred?: Promise<unknown>; expired?: () => boolean; ephemeral?: boolean } = {},
) {
  const { rest, calls } = recordingRest();
  const surface = createInteractionSurface({
    rest,
    applicationId: "A1",
    interactionToken: "TOKEN",
    deferred: options.deferred ?? Promise.resolve(),
    ephemeral: options.ephemeral ?? false,
    tokenExpired: options.expired ?? (() => false),
    fallback: () => createChannelSurface({ rest, target: { channelId: "C1" } }),
  });
  return { surface, calls };
}

describe("interaction surface", () => {
  test("the first post fills the deferred reply, the next ones are follow-ups, edits go by message id", async () => {
    const { surface, calls } = interactionSurface();
    const first = await surface.post("one");
    await surface.edit(first, "one, edited");
    await surface.post("two");
    expect(calls).toEqual([
      {
        method: "PATCH",
        route: "/webhooks/A1/TOKEN/messages/%40original",
        body: { content: "one", allowed_mentions: noPings },
      },
      {
        method: "PATCH",
        route: `/webhooks/A1/TOKEN/messages/${first.id}`,
        body: { content: "one, edited", allowed_mentions: noPings },
      },
      { method: "POST", route: "/webhooks/A1/TOKEN", body: { content: "two", allowed_mentions: noPings } },
    ]);
  });

  test("when the deferral failed, the answer goes to the channel", async () => {
    const deferred = Promise.reject(new Error("Unknown interaction"));
    deferred.catch(() => undefined);
    const { surface, calls } = interactionSurface({ deferred });
    const message = await surface.post("hello");
    await surface.edit(message, "hello again");
    expect(calls.map((call) => `${call.method} ${call.route}`)).toEqual([
      "POST /channels/C1/messages",
      `PATCH /channels/C1/messages/${message.id}`,
    ]);
  });

  test("when the token expires mid-answer, an edit becomes a channel message that later edits update", async () => {
    let expired = false;
    const { surface, calls } = interactionSurface({ expired: () => expired });
    const first = await surface.post("start");
    expired = true;
    await surface.edit(first, "start and more");
    await surface.edit(first, "start and more and the end");
    const routes = calls.map((call) => `${call.method} ${call.route}`);
    expect(routes).toEqual([
      "PATCH /webhooks/A1/TOKEN/messages/%40original",
      "POST /channels/C1/messages",
      expect.stringMatching(/^PATCH \/channels\/C1\/messages\/\d+$/),
    ]);
    expect(calls.at(-1)?.body).toEqual({ content: "start and more and the end", allowed_mentions: noPings });
  });

  test("a private answer is never posted in the channel when the token cannot be used", async () => {
    const { surface, calls } = interactionSurface({ ephemeral: true, expired: () => true });
    await expect(surface.post("your spending: $12")).rejects.toThrow(/private answer not shown/);
    await expect(surface.postError?.("The provider had a problem")).rejects.toThrow(
      /private answer not shown/,
    );
    expect(calls).toEqual([]);
  });

  test("an error before any text replaces the public placeholder with a private message", async () => {
    const { surface, calls } = interactionSurface();
    await surface.postError?.("The model is unavailable.");
    expect(calls).toEqual([
      { method: "DELETE", route: "/webhooks/A1/TOKEN/messages/%40original" },
      {
        method: "POST",
        route: "/webhooks/A1/TOKEN",
        body: { content: "The model is unavailable.", allowed_mentions: noPings, flags: 64 },
      },
    ]);
  });

  test("an error after a private deferral fills the reply, which only the user sees already", async () => {
    const { surface, calls } = interactionSurface({ ephemeral: true });
    await surface.postError?.("Nope.");
    expect(calls).toEqual([
      {
        method: "PATCH",
        route: "/webhooks/A1/TOKEN/messages/%40original",
        body: { content: "Nope.", allowed_mentions: noPings },
      },
    ]);
  });
});

test("the channel surface replies with its first message only, waiting for the thread to exist", async () => {
  const { rest, calls } = recordingRest();
  let openThread: (target: { channelId: string; replyToMessageId?: string }) => void = () => undefined;
  const target = new Promise<{ channelId: string; replyToMessageId?: string }>((resolve) => {
    openThread = resolve;
  });
  const onFirstPost = vi.fn();
  const surface = createChannelSurface({ rest, target, onFirstPost });
  const posting = surface.post("first");
  expect(calls).toEqual([]);
  openThread({ channelId: "T1", replyToMessageId: "M1" });
  await posting;
  await surface.post("second");
  expect(onFirstPost).toHaveBeenCalledTimes(1);
  expect(calls.map((call) => call.body)).toEqual([
    {
      content: "first",
      allowed_mentions: noPings,
      message_reference: { message_id: "M1", fail_if_not_exists: false },
    },
    { content: "second", allowed_mentions: noPings },
  ]);
});

test("typing renews until stopped", () => {
  vi.useFakeTimers();
  try {
    const send = vi.fn(async () => undefined);
    const typing = startTyping(send, { intervalMs: 8000, onError: () => undefined });
    vi.advanceTimersByTime(17_000);
    expect(send).toHaveBeenCalledTimes(3);
    typing.stop();
    vi.advanceTimersByTime(30_000);
    expect(send).toHaveBeenCalledTimes(3);
  } finally {
    vi.useRealTimers();
  }
});
