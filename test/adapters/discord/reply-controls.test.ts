// End to end: Stop and 👍/👎 buttons on answers, pressed by the asker, by someone else and by an admin.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { NOT_YOURS_TO_RETRY, NOT_YOURS_TO_STOP } from "../../../src/controls/reply-controls.ts";
import { STOPPED_NOTE } from "../../../src/engine/answer.ts";
import type { FakeInteraction, FakeMessage } from "../../support/fake-discord.ts";
import { MANAGE_SERVER_PERMISSIONS } from "../../support/fake-discord-payloads.ts";
import { type DiscordHarness, startDiscordHarness } from "./harness.ts";

let bot: DiscordHarness;

beforeAll(async () => {
  bot = await startDiscordHarness();
});
afterAll(async () => {
  await bot?.close();
});
afterEach(() => {
  expect(bot.discord.violations).toEqual([]);
});

const SLOW_ANSWER = {
  text: "One. Two. Three. Four. Five. Six. Seven. Eight. Nine. Ten. Eleven. Twelve.",
  chunkSize: 5,
  chunkDelayMs: 250,
};

/** The interaction's reply once `ready` holds for it. */
function replyWhen(
  interaction: FakeInteraction,
  ready: (message: FakeMessage) => boolean,
): Promise<FakeMessage> {
  return bot.discord.waitFor(`/${interaction.command} reply`, () => {
    const message = bot.discord.repliesTo(interaction)[0];
    return message && ready(message) ? message : undefined;
  });
}

const buttons = (message: FakeMessage) => bot.discord.buttonIds(message).map((id) => id.split(":")[1]);

/** The private sentence a press was answered with (callback type 4, ephemeral). */
async function privateAnswer(press: FakeInteraction): Promise<string> {
  await bot.discord.waitFor("press acknowledged", () => press.callbackAtMs !== undefined);
  const data = press.callbackBody?.data as { content?: string; flags?: number } | undefined;
  expect(press.callbackBody?.type).toBe(4);
  expect((data?.flags ?? 0) & 64).toBe(64);
  return data?.content ?? "";
}

describe("Stop", () => {
  test("the asker stops a streaming answer: the provider request closes, the text stays with the note", async () => {
    bot.ai.enqueue(SLOW_ANSWER);
    const interaction = bot.discord.sendCommand("ask", { prompt: "count slowly" });
    const streaming = await replyWhen(interaction, (message) => buttons(message).includes("stop"));
    expect(bot.discord.buttonIds(streaming)).toEqual([expect.stringMatching(/^parley:stop:/)]);

    const pressedAt = Date.now();
    const press = bot.discord.pressButton(streaming, "parley:stop");
    await bot.discord.waitFor("press acknowledged", () => press.callbackAtMs !== undefined);
    // Acknowledged without a message of its own: the answer's message shows the stop.
    expect(press.callbackBody).toEqual({ type: 6 });
    await bot.discord.waitFor("provider request closed", () => bot.ai.requests.at(-1)?.closedByClient);
    expect(Date.now() - pressedAt).toBeLessThan(1_000);

    const final = await replyWhen(interaction, (message) => message.content.includes(STOPPED_NOTE));
    expect(final.content).not.toContain("Twelve.");
    expect(final.content).toMatch(/^One\./);
    expect(buttons(final)).toEqual([]);
  });

  test("someone else's press is refused privately and the answer goes on; an admin's press stops it", async () => {
    bot.ai.enqueue(SLOW_ANSWER);
    const interaction = bot.discord.sendCommand("ask", { prompt: "count slowly again" });
    const streaming = await replyWhen(interaction, (message) => buttons(message).includes("stop"));

    const bobsPress = bot.discord.pressButton(streaming, "parley:stop", { user: bot.discord.users.bob });
    expect(await privateAnswer(bobsPress)).toBe(NOT_YOURS_TO_STOP);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(bot.ai.requests.at(-1)?.closedByClient).toBe(false);

    const adminPress = bot.discord.pressButton(streaming, "parley:stop", {
      user: bot.discord.users.bob,
      permissions: MANAGE_SERVER_PERMISSIONS,
    });
    await bot.discord.waitFor("admin press acknowledged", () => adminPress.callbackAtMs !== undefined);
    expect(adminPress.callbackBody).toEqual({ type: 6 });
    const final = await replyWhen(interaction, (message) => message.content.includes(STOPPED_NOTE));
    expect(final.content).not.toContain("Twelve.");
    expect(bot.ai.requests.at(-1)?.closedByClient).toBe(true);
  });

  test("a mention's answer in its thread carries Stop too", async () => {
    bot.ai.enqueue(SLOW_ANSWER);
    const sent = bot.discord.sendMessage({ content: `<@${bot.discord.bot.id}> count for me` });
    const streaming = await bot.discord.waitFor("thread answer with Stop", () =>
      bot.discord.messagesIn(sent.id).find((message) => buttons(message).includes("stop")),
    );
    bot.discord.pressButton(streaming, "parley:stop");
    const final = await bot.discord.waitFor("stopped answer", () =>
      bot.discord.messagesIn(sent.id).find((message) => message.content.includes(STOPPED_NOTE)),
    );
    expect(final.content).not.toContain("Twelve.");
    expect(buttons(final)).toEqual([]);
  });
});

describe("feedback", () => {
  test("a finished answer offers 👍/👎; a vote is acknowledged privately, changed, and counted once for admins", async () => {
    const interaction = bot.discord.sendCommand("ask", { prompt: "rate me" });
    const finished = await replyWhen(interaction, (message) => message.content.includes("*Model:"));
    await bot.discord.waitFor("feedback buttons", () => buttons(finished).includes("up"));
    expect(buttons(finished)).toEqual(["up", "down"]);

    const up = bot.discord.pressButton(finished, "parley:up");
    expect(await privateAnswer(up)).toBe("Thanks for the 👍.");
    expect(Number(up.callbackAtMs) - up.dispatchedAtMs).toBeLessThan(3_000);
    const down = bot.discord.pressButton(finished, "parley:down");
    expect(await privateAnswer(down)).toContain("Thanks for the 👎");
    // Bob's vote counts on its own.
    const bobs = bot.discord.pressButton(finished, "parley:down", { user: bot.discord.users.bob });
    await privateAnswer(bobs);

    const adminUsage = bot.discord.sendCommand("usage", {}, { permissions: MANAGE_SERVER_PERMISSIONS });
    const report = await replyWhen(adminUsage, (message) => message.content.includes("Feedback"));
    expect(report.content).toContain("**Feedback this month** (admins only): 👍 0 · 👎 2");

    const memberUsage = bot.discord.sendCommand("usage", {});
    const memberReport = await replyWhen(memberUsage, (message) => message.content.includes("Usage"));
    expect(memberReport.content).not.toContain("Feedback");
  });

  test("commands that do not ask a model carry no buttons", async () => {
    const interaction = bot.discord.sendCommand("help", {});
    const reply = await replyWhen(interaction, (message) => message.content !== "");
    expect(bot.discord.buttonIds(reply)).toEqual([]);
  });
});

describe("Retry", () => {
  test("a cut stream offers Retry; someone else is refused; the asker's press answers again with the same prompt and model", async () => {
    bot.ai.enqueue({ text: "The first half, then the connection drops", chunkSize: 6, cutAfterChars: 14 });
    const interaction = bot.discord.sendCommand("ask", { prompt: "tell me twice", model: "gpt-4o-mini" });
    const cut = await replyWhen(interaction, (message) => buttons(message).includes("retry"));
    expect(cut.content).toContain("The first");
    expect(buttons(cut)).toEqual(["retry"]);
    const firstRequest = bot.ai.chatRequests().at(-1);

    const bobsPress = bot.discord.pressButton(cut, "parley:retry", { user: bot.discord.users.bob });
    expect(await privateAnswer(bobsPress)).toBe(NOT_YOURS_TO_RETRY);

    const press = bot.discord.pressButton(cut, "parley:retry");
    await bot.discord.waitFor("retry acknowledged", () => press.callbackAtMs !== undefined);
    expect(press.callbackBody).toEqual({ type: 5 });
    const again = await replyWhen(press, (message) => message.content.includes("*Model:"));
    expect(again.content).toBe("Echo: Alice: tell me twice\n\n*Model: gpt-4o-mini-2025-01-01*");
    expect(buttons(again)).toEqual(["up", "down"]);
    const retried = bot.ai.chatRequests().at(-1);
    expect(retried?.model).toBe(firstRequest?.model);
    expect(JSON.stringify(retried?.messages.at(-1))).toContain("tell me twice");
  });
});
