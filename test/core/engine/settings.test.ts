// /settings in the engine: anyone may look, admins change the channel's prompt, models and limits, or forget someone.
import { afterEach, describe, expect, it } from "vitest";
import { ADMIN_UNKNOWN_MESSAGE, NOT_ADMIN_MESSAGE } from "../../../src/policy/admins.ts";
import type { Author, Turn } from "../../../src/types.ts";
import { type EngineHarness, startEngineHarness, TEST_KEY } from "../../support/engine-harness.ts";
import { recordLogs } from "../store/engine-on-store.ts";

let harness: EngineHarness;
afterEach(async () => {
  await harness?.close();
});

/** ADMIN_USERS names her; Ada (U1, the harness's default author) is nobody special. */
const admin: Author = { id: "UADMIN", displayName: "Root", isBot: false };
const ADMIN_ENV = { ADMIN_USERS: "test:UADMIN" };
const thread = (id: string) => ({ ...TEST_KEY, thread: id });

const settings = (subcommand: string, text: string, extra: Partial<Turn> = {}) =>
  harness.run({ kind: "settings", subcommand, text, author: admin, ...extra });

/** The system prompt of the last provider request. */
const lastSystemPrompt = () => String(harness.fake.chatRequests().at(-1)?.messages[0]?.content);

describe("who may change settings", () => {
  it("refuses a non-admin privately and changes nothing", async () => {
    harness = await startEngineHarness({ env: ADMIN_ENV });
    const refused = await harness.run({
      kind: "settings",
      subcommand: "prompt",
      text: "Talk like a pirate.",
    });
    expect(refused.error?.error.code).toBe("not_admin");
    expect(refused.error?.error.userMessage).toBe(NOT_ADMIN_MESSAGE);
    await harness.run({ text: "hi" });
    expect(lastSystemPrompt()).not.toContain("pirate");
  });

  it("takes the platform's word (Manage Server, workspace admin), and the console's user is admin", async () => {
    harness = await startEngineHarness();
    const platformAdmin = { ...admin, id: "U7", isPlatformAdmin: async () => true };
    const channelItself = { ...TEST_KEY, thread: TEST_KEY.channel };
    expect(
      (
        await settings("limit", "500", {
          author: platformAdmin,
          options: { scope: "user" },
          key: channelItself,
        })
      ).result?.text,
    ).toBe("Each person's daily token limit in this channel is now 500 tokens a day.");
    const lookupFails = {
      ...admin,
      id: "U8",
      isPlatformAdmin: async () => {
        throw new Error("users.info failed");
      },
    };
    const byFailedLookup = await settings("limit", "900", {
      author: lookupFails,
      options: { scope: "user" },
    });
    // A real admin whose lookup failed is not told they are none, and nothing changes.
    expect(byFailedLookup.error?.error.userMessage).toBe(ADMIN_UNKNOWN_MESSAGE);
    expect((await harness.run({ kind: "usage", text: "" })).result?.text).not.toContain("900");
    const fromConsole = await settings("limit", "600", {
      author: { ...admin, id: "local-user" },
      options: { scope: "user" },
      venue: "console",
    });
    expect(fromConsole.error?.error.message).toBeUndefined();
    expect(fromConsole.result?.text).toContain("600 tokens a day");
  });
});

describe("/settings prompt", () => {
  it("gives the channel and its threads their own system prompt, logged with who set it, until reset", async () => {
    const logs = recordLogs();
    harness = await startEngineHarness({ env: ADMIN_ENV, logger: logs.logger });
    const set = await settings("prompt", "You are a pirate.\nAnswer in rhymes.", { key: TEST_KEY });
    expect(set.result?.text).toBe(
      "New turns in this channel and its threads now use this system prompt:\n> You are a pirate.\n> Answer in rhymes.\nThis applies to the whole channel, this thread included.",
    );
    await harness.run({ text: "ahoy", key: thread("T-other") });
    expect(lastSystemPrompt()).toBe("You are a pirate.\nAnswer in rhymes.");
    await harness.run({ text: "elsewhere", key: { ...TEST_KEY, channel: "C2" } });
    expect(lastSystemPrompt()).not.toContain("pirate");
    expect(logs.withMessage("channel setting changed")[0]).toMatchObject({
      channel: "test:W1:C1",
      setting: "prompt",
      value: "You are a pirate.\nAnswer in rhymes.",
      by: "test:UADMIN",
      byName: "Root",
    });

    expect((await settings("prompt", "reset")).result?.text).toContain("default system prompt again");
    await harness.run({ text: "back to normal" });
    expect(lastSystemPrompt()).not.toContain("pirate");
  });
});

describe("/settings model", () => {
  it("sets the model of each command in the channel; a thread's /model still wins", async () => {
    harness = await startEngineHarness({ env: ADMIN_ENV });
    const channelItself = { ...TEST_KEY, thread: TEST_KEY.channel };
    expect(
      (await settings("model", "gpt-4o-mini", { options: { command: "ask" }, key: channelItself })).result
        ?.text,
    ).toBe(
      "/ask, mentions and follow-ups in this channel now use `gpt-4o-mini` (a thread's own /model still wins there).",
    );
    await harness.run({ kind: "mention", text: "hi", key: thread("T-new") });
    expect(harness.fake.chatRequests().at(-1)?.model).toBe("gpt-4o-mini");

    await harness.run({ kind: "model", text: "openai/gpt-4.1-mini-2025-04-14", key: thread("T-own") });
    await harness.run({ kind: "mention", text: "hi", key: thread("T-own") });
    expect(harness.fake.chatRequests().at(-1)?.model).toBe("openai/gpt-4.1-mini-2025-04-14");

    await settings("model", "gpt-4o-mini", { options: { command: "reason" } });
    await harness.run({ kind: "reason", text: "why?" });
    expect(harness.fake.chatRequests().at(-1)?.model).toBe("gpt-4o-mini");

    const notSearch = await settings("model", "gpt-4o-mini", { options: { command: "search" } });
    expect(notSearch.error?.error.userMessage).toContain('"gpt-4o-mini" is not a web-search model');
    await settings("model", "perplexity/sonar", { options: { command: "search" } });
    await harness.run({ kind: "search", text: "news" });
    expect(harness.fake.chatRequests().at(-1)?.model).toBe("perplexity/sonar");

    expect((await settings("model", "reset", { options: { command: "search" } })).result?.text).toBe(
      "/search uses the default model in this channel again.\nThis applies to the whole channel, this thread included.",
    );
    const unknown = await settings("model", "gpt-9", { options: { command: "ask" } });
    expect(unknown.error?.error.code).toBe("bad_input");
    expect(unknown.error?.error.userMessage).toContain('Unknown model "gpt-9"');
  });
});

describe("/settings limit", () => {
  it("replaces the environment's daily limits in this channel, and /usage shows them", async () => {
    harness = await startEngineHarness({ env: { ...ADMIN_ENV, LIMIT_USER_DAILY_TOKENS: "100000" } });
    await settings("limit", "100", { options: { scope: "user" } });
    harness.fake.enqueue({ usage: { prompt_tokens: 90, completion_tokens: 30 } });
    await harness.run({ text: "one" });
    const refused = await harness.run({ text: "two" });
    expect(refused.error?.error.userMessage).toMatch(
      /^Your daily limit of 100 tokens is used up \(120 used today\)/,
    );
    // The environment's limit still holds in other channels.
    const elsewhere = await harness.run({ text: "there", key: { ...TEST_KEY, channel: "C2" } });
    expect(elsewhere.result?.text).toBe("Echo: Ada: there");

    const usage = (await harness.run({ kind: "usage" })).result?.text ?? "";
    expect(usage).toContain("today: 120 tokens (90 in, 30 out)");
    expect(usage).toContain("(limit 100 a day: 0 left)");

    await settings("limit", "0", { options: { scope: "user" } });
    expect((await harness.run({ text: "three" })).result?.text).toBe("Echo: Ada: three");
    expect((await settings("limit", "lots", { options: { scope: "user" } })).error?.error.code).toBe(
      "bad_input",
    );
  });
});

describe("/settings forget", () => {
  it("deletes a person's usage records and the conversations they started, and says how many", async () => {
    harness = await startEngineHarness({ env: ADMIN_ENV });
    await harness.run({ kind: "mention", text: "mine", key: thread("T-ada-1") });
    await harness.run({ kind: "mention", text: "also mine", key: thread("T-ada-2") });
    const grace = { id: "U2", displayName: "Grace", isBot: false };
    await harness.run({ kind: "mention", text: "hers", key: thread("T-grace"), author: grace });

    const forgot = await settings("forget", "<@U1>");
    expect(forgot.result?.text).toBe(
      "Forgot U1 in this workspace: deleted 2 conversations they started and 2 usage records.",
    );
    expect(await harness.parley.engine.hasConversation(thread("T-ada-1"))).toBe(false);
    expect(await harness.parley.engine.hasConversation(thread("T-grace"))).toBe(true);
    const usage = (await harness.run({ kind: "usage" })).result?.text ?? "";
    expect(usage).toContain("**You** — today: 0 tokens");
  });
});

describe("/settings show, /help", () => {
  it("shows anyone the channel's prompt, models, limits and today's use", async () => {
    harness = await startEngineHarness({
      env: { ...ADMIN_ENV, LIMIT_WORKSPACE_MONTHLY_USD: "50", LIMIT_USER_TURNS_PER_MINUTE: "5" },
    });
    await settings("prompt", "Be brief.");
    harness.fake.enqueue({ usage: { prompt_tokens: 1000, completion_tokens: 234 }, usdSpent: 1.5 });
    await harness.run({ text: "hi" });
    const shown = (await harness.run({ kind: "settings", text: "" })).result?.text ?? "";
    expect(shown).toContain("• **System prompt** (this channel's):\n> Be brief.");
    expect(shown).toContain("• **Models**: /ask `openai/gpt-4.1-mini-2025-04-14` (the default)");
    expect(shown).toContain("• **Daily tokens per person**: none (the default) — you used 1,234 today");
    expect(shown).toContain("• **Monthly budget for this workspace**: $50.00 — spent $1.50 this month");
    expect(shown).toContain("• **Per person**: 5 questions a minute");

    const help = (await harness.run({ kind: "help" })).result?.text ?? "";
    expect(help).toContain("`/settings [show | prompt | model | limit | forget] …`");
    expect(help).toContain("System prompt here (this channel's):\n> Be brief.");
    expect(help).toContain("Models here: /ask `openai/gpt-4.1-mini-2025-04-14` (the default)");

    const unknown = await harness.run({ kind: "settings", subcommand: "colour", text: "blue" });
    expect(unknown.error?.error.userMessage).toBe(
      'Unknown setting "colour". Use `/settings` with one of: show, prompt, model, limit, forget.',
    );
  });
});

describe("/help without the store", () => {
  it("still answers, with the defaults and a note that the channel's settings could not be read", async () => {
    harness = await startEngineHarness();
    await harness.parley.close();
    const help = await harness.run({ kind: "help" });
    expect(help.result?.text).toContain("Models here: /ask `openai/gpt-4.1-mini-2025-04-14` (the default)");
    expect(help.result?.text).toContain("(This channel's own settings could not be read right now.)");
    const show = await harness.run({ kind: "settings" });
    expect(show.error?.error.code).toBe("store_unavailable");
  });
});
