// The fake Slack's streaming methods follow Slack's documented rules, so tests against them mean something.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "./fake-slack.ts";

let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack();
});
afterAll(async () => {
  await slack?.close();
});

async function call(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(`${slack.apiUrl}${method}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer xoxb-test" },
    body: JSON.stringify(params),
  });
  return (await response.json()) as Record<string, unknown>;
}

const text = (markdown: string) => [{ type: "markdown_text", text: markdown }];

describe("fake Slack streaming", () => {
  it("needs the recipient outside DMs, and a thread", async () => {
    const base = { channel: "C1", thread_ts: "1.1", chunks: text("hi") };
    expect(await call("chat.startStream", base)).toEqual({ ok: false, error: "missing_recipient_user_id" });
    expect(await call("chat.startStream", { ...base, recipient_user_id: "U1" })).toEqual({
      ok: false,
      error: "missing_recipient_team_id",
    });
    expect((await call("chat.startStream", { ...base, channel: "D1" })).ok).toBe(true);
    expect(await call("chat.startStream", { channel: "D1", chunks: text("hi") })).toMatchObject({
      ok: false,
    });
  });

  it("keeps the concatenation of what was appended, refuses long text, mixed modes and appends after stop", async () => {
    const started = await call("chat.startStream", { channel: "D2", thread_ts: "2.1", chunks: text("One ") });
    const ts = String(started.ts);
    expect((await call("chat.appendStream", { channel: "D2", ts, chunks: text("two ") })).ok).toBe(true);
    expect(await call("chat.appendStream", { channel: "D2", ts, chunks: text("x".repeat(12_001)) })).toEqual({
      ok: false,
      error: "msg_too_long",
    });
    expect(await call("chat.appendStream", { channel: "D2", ts, markdown_text: "three" })).toEqual({
      ok: false,
      error: "streaming_mode_mismatch",
    });
    expect((await call("chat.stopStream", { channel: "D2", ts })).ok).toBe(true);
    expect(await call("chat.appendStream", { channel: "D2", ts, chunks: text("late") })).toEqual({
      ok: false,
      error: "message_not_in_streaming_state",
    });
    expect(slack.thread("D2", "2.1").map((message) => message.text)).toEqual(["One two "]);
  });

  it("answers channel_type_not_supported while streaming is switched off", async () => {
    slack.streaming.unavailable = true;
    expect(await call("chat.startStream", { channel: "D3", thread_ts: "3.1", chunks: text("hi") })).toEqual({
      ok: false,
      error: "channel_type_not_supported",
    });
    slack.streaming.unavailable = false;
  });
});
