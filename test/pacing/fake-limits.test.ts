// The fakes' budgets must be able to fail: Slack answers 429 with Retry-After, Discord sends its bucket headers.
import { afterEach, describe, expect, it } from "vitest";
import { type FakeDiscord, startFakeDiscord } from "../support/fake-discord.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";

let slack: FakeSlack | undefined;
let discord: FakeDiscord | undefined;

afterEach(async () => {
  await slack?.close();
  await discord?.close();
  slack = undefined;
  discord = undefined;
});

describe("the fake Slack's chat.update budget", () => {
  it("answers HTTP 429 with Retry-After once the workspace spent its budget, and counts it", async () => {
    slack = await startFakeSlack({ updateRate: { limit: 3, windowMs: 1_000 } });
    const call = (method: string, params: Record<string, string>) =>
      fetch(`${slack?.apiUrl}${method}`, {
        method: "POST",
        headers: { authorization: "Bearer xoxb-test", "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(params).toString(),
      });
    const posted = (await (await call("chat.postMessage", { channel: "C1", text: "a" })).json()) as {
      ts: string;
    };
    const statuses: number[] = [];
    for (let index = 0; index < 4; index++) {
      const response = await call("chat.update", { channel: "C1", ts: posted.ts, text: `edit ${index}` });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get("retry-after")).toBe("1");
        expect(await response.json()).toEqual({ ok: false, error: "ratelimited" });
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(slack.rateLimited.map((limited) => limited.params.text)).toEqual(["edit 3"]);
    // The refused update changed nothing.
    expect(slack.messages[0]?.text).toBe("edit 2");
  });
});

describe("the fake Discord's message buckets", () => {
  it("sends X-RateLimit headers on every message write and a 429 with retry_after past the bucket", async () => {
    discord = await startFakeDiscord({ rateLimits: { channelEdits: { limit: 2, windowMs: 2_000 } } });
    const api = `${discord.apiUrl}/v10/channels/${discord.textChannel.id}/messages`;
    const headers = { authorization: `Bot ${discord.token}`, "content-type": "application/json" };
    const body = (content: string) => JSON.stringify({ content, allowed_mentions: { parse: [] } });
    const created = await fetch(api, { method: "POST", headers, body: body("first") });
    expect(created.headers.get("x-ratelimit-limit")).toBe("5");
    expect(created.headers.get("x-ratelimit-bucket")).toBe("fake-channel-post");
    const { id } = (await created.json()) as { id: string };
    const edits = [];
    for (let index = 0; index < 3; index++) {
      // Spaced past the fake's 500 ms rule for one message, so only the bucket can refuse.
      await new Promise((resolve) => setTimeout(resolve, 550));
      edits.push(await fetch(`${api}/${id}`, { method: "PATCH", headers, body: body(`edit ${index}`) }));
    }
    expect(edits.map((response) => response.status)).toEqual([200, 200, 429]);
    expect(edits.map((response) => response.headers.get("x-ratelimit-remaining"))).toEqual(["1", "0", "0"]);
    expect(edits[0]?.headers.get("x-ratelimit-bucket")).toBe("fake-channel-edit");
    const resetAfter = Number(edits[2]?.headers.get("x-ratelimit-reset-after"));
    expect(resetAfter).toBeGreaterThan(0);
    expect(resetAfter).toBeLessThanOrEqual(2);
    const refusal = (await edits[2]?.json()) as { retry_after: number; global: boolean };
    expect(refusal.global).toBe(false);
    expect(refusal.retry_after).toBeCloseTo(resetAfter, 1);
    expect(discord.rateLimited).toEqual(["PATCH /channels/{channel_id}/messages/{message_id}"]);
  });
});
