// The streaming renderer as users see it: first text at once, spaced edits, split messages, Sources at the end.
import { describe, expect, it } from "vitest";
import { formatSources } from "../../../src/render/footer.ts";
import { layoutReply } from "../../../src/render/layout.ts";
import { renderReply } from "../../../src/render/render-reply.ts";
import { splitMessage } from "../../../src/render/split.ts";
import type { ReplyEvent, ReplyResult } from "../../../src/types.ts";
import { fencesBalanced } from "./chunk-checks.ts";
import { createEventQueue, eventsOf, textDeltas } from "./event-queue.ts";
import { createFakeClock, runToEnd, settle } from "./fake-clock.ts";
import { createRecordingSurface, type SurfaceCall } from "./fake-surface.ts";
import { longPythonAnswer, prose } from "./fixtures.ts";

function done(text: string, extra: Partial<ReplyResult> = {}): ReplyEvent {
  return { type: "done", result: { text, citations: [], notes: [], ...extra } };
}

function editTimesByMessage(calls: readonly SurfaceCall[]): Map<string, number[]> {
  const times = new Map<string, number[]>();
  for (const call of calls) {
    if (call.kind !== "edit" || call.messageId === undefined) continue;
    times.set(call.messageId, [...(times.get(call.messageId) ?? []), call.atMs]);
  }
  return times;
}

describe("renderReply while streaming", () => {
  it("posts the first text before any time passes, then edits once the interval is up even if the stream stalls", async () => {
    const clock = createFakeClock();
    const recording = createRecordingSurface({ clock, editIntervalMs: 1000 });
    const queue = createEventQueue();
    const rendering = renderReply(queue, recording.surface, clock);

    queue.push({ type: "text", delta: "Hello" });
    await settle();
    expect(recording.calls).toEqual([{ kind: "post", text: "Hello", atMs: 0 }]);

    queue.push({ type: "text", delta: " wor" });
    queue.push({ type: "text", delta: "ld" });
    await clock.advance(999);
    expect(recording.calls).toHaveLength(1);

    // No further event arrives, yet the last partial shows as soon as the interval is up.
    await clock.advance(1);
    expect(recording.calls.slice(1)).toEqual([
      { kind: "edit", text: "Hello world", atMs: 1000, messageId: "m1" },
    ]);

    queue.push(done("Hello world"));
    queue.end();
    const outcome = await runToEnd(rendering, clock);
    expect(outcome).toEqual({ messages: [{ id: "m1" }], chunks: ["Hello world"], outcome: "done" });
    // The final text equals what is shown: it is not sent again.
    expect(recording.calls).toHaveLength(2);
  });

  it("spaces edits of a message by at least the interval and never sends the same text twice", async () => {
    const clock = createFakeClock();
    const recording = createRecordingSurface({ clock, editIntervalMs: 1000 });
    const queue = createEventQueue();
    const rendering = renderReply(queue, recording.surface, clock);
    const answer = prose(1500, 3);
    for (const event of textDeltas(answer, 30)) {
      queue.push(event);
      await clock.advance(70);
    }
    queue.push(done(answer));
    queue.end();
    await runToEnd(rendering, clock);

    const edits = recording.calls.filter((call) => call.kind === "edit");
    expect(edits.length).toBeGreaterThan(2);
    // 50 deltas over 3.5 s are coalesced into a handful of edits.
    expect(edits.length).toBeLessThanOrEqual(6);
    for (const times of editTimesByMessage(recording.calls).values()) {
      for (let index = 1; index < times.length; index++) {
        expect((times[index] ?? 0) - (times[index - 1] ?? 0)).toBeGreaterThanOrEqual(1000);
      }
    }
    const textsOfFirstMessage = recording.calls
      .filter((call) => call.messageId === "m1")
      .map((call) => call.text);
    expect(new Set(textsOfFirstMessage).size).toBe(textsOfFirstMessage.length);
    expect(recording.visibleTexts()).toEqual([answer]);
    expect(recording.overlapped()).toBe(false);
  });

  it("continues a long answer in new messages, each within the limit and with whole code blocks", async () => {
    const clock = createFakeClock();
    const recording = createRecordingSurface({ clock, maxMessageLength: 2000, editIntervalMs: 1000 });
    const queue = createEventQueue();
    const rendering = renderReply(queue, recording.surface, clock);
    for (const event of textDeltas(longPythonAnswer, 40)) {
      queue.push(event);
      await clock.advance(50);
    }
    queue.push(done(longPythonAnswer));
    queue.end();
    const outcome = await runToEnd(rendering, clock);

    for (const call of recording.calls) {
      expect(call.text.length).toBeLessThanOrEqual(2000);
      expect(fencesBalanced(call.text)).toBe(true);
    }
    const expected = splitMessage(longPythonAnswer, 2000);
    expect(expected).toHaveLength(3);
    expect(recording.visibleTexts()).toEqual(expected);
    expect(outcome.chunks).toEqual(expected);
    expect(outcome.messages).toEqual([{ id: "m1" }, { id: "m2" }, { id: "m3" }]);
    expect(recording.visibleTexts()[2]).toMatch(/^```python\n/);
    expect(recording.overlapped()).toBe(false);
  });

  it("posts a whole answer that arrives at once as split messages right away", async () => {
    const clock = createFakeClock();
    const recording = createRecordingSurface({ clock });
    const queue = createEventQueue();
    const rendering = renderReply(queue, recording.surface, clock);
    queue.push({ type: "text", delta: longPythonAnswer });
    await settle();
    expect(recording.calls.every((call) => call.kind === "post" && call.atMs === 0)).toBe(true);
    expect(recording.calls.length).toBeGreaterThanOrEqual(2);
    queue.push(done(longPythonAnswer));
    queue.end();
    await runToEnd(rendering, clock);
    expect(recording.visibleTexts()).toEqual(splitMessage(longPythonAnswer, 2000));
  });

  it("runs on the real clock by default", async () => {
    const recording = createRecordingSurface({
      clock: { now: () => Date.now(), sleep: async () => {} },
      editIntervalMs: 5,
    });
    const answer = prose(300, 4);
    const outcome = await renderReply(eventsOf([...textDeltas(answer, 20), done(answer)]), recording.surface);
    expect(outcome).toMatchObject({ outcome: "done", chunks: [answer] });
  });

  it("shows a status before the first text, but not after it", async () => {
    const clock = createFakeClock();
    const recording = createRecordingSurface({ clock, withStatus: true });
    const events = eventsOf([
      { type: "status", text: "Searching the web…" },
      { type: "text", delta: "Found it." },
      { type: "status", text: "Reading pages…" },
      done("Found it."),
    ]);
    await runToEnd(renderReply(events, recording.surface, clock), clock);
    expect(recording.calls.map((call) => [call.kind, call.text])).toEqual([
      ["status", "Searching the web…"],
      ["post", "Found it."],
    ]);
  });
});

describe("renderReply at the end of an answer", () => {
  it("shows the Sources whole, with numbered links, at the end of the last message", async () => {
    const clock = createFakeClock();
    const recording = createRecordingSurface({ clock });
    const citations = [
      { url: "https://example.com/one", title: "One" },
      { url: "https://example.com/two", title: "Two" },
    ];
    const events = eventsOf([...textDeltas(longPythonAnswer, 500), done(longPythonAnswer, { citations })]);
    await runToEnd(renderReply(events, recording.surface, clock), clock);
    const texts = recording.visibleTexts();
    expect(texts).toEqual(layoutReply(longPythonAnswer, formatSources(citations), 2000));
    expect(texts.at(-1)).toMatch(
      /\n\n\*\*Sources\*\*\n1\. \[One\]\(https:\/\/example\.com\/one\)\n2\. \[Two\]\(https:\/\/example\.com\/two\)$/,
    );
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(2000);
  });

  it("gives 40 sources their own messages, cut only between sources", async () => {
    const clock = createFakeClock();
    const recording = createRecordingSurface({ clock, maxMessageLength: 800 });
    const citations = Array.from({ length: 40 }, (_, index) => ({
      url: `https://example.com/${index + 1}`,
      title: `Source number ${index + 1}`,
    }));
    const events = eventsOf([{ type: "text", delta: "Short." }, done("Short.", { citations })]);
    await runToEnd(renderReply(events, recording.surface, clock), clock);
    const lines = recording.visibleTexts().flatMap((text) => text.split("\n"));
    for (let index = 1; index <= 40; index++) {
      expect(lines).toContain(`${index}. [Source number ${index}](https://example.com/${index})`);
    }
    for (const text of recording.visibleTexts()) expect(text.length).toBeLessThanOrEqual(800);
  });

  it("names the model in the last line of the final write only, never in a streaming edit", async () => {
    const clock = createFakeClock();
    const recording = createRecordingSurface({ clock, editIntervalMs: 1000 });
    const queue = createEventQueue();
    const rendering = renderReply(queue, recording.surface, clock);
    const answer = prose(900, 2);
    queue.push({ type: "model", model: "gpt-4o-mini" });
    queue.push({ type: "model", model: "gpt-4o-mini-2024-07-18" });
    for (const event of textDeltas(answer, 60)) {
      queue.push(event);
      await clock.advance(300);
    }
    queue.push(
      done(answer, {
        citations: [{ url: "https://example.com/one", title: "One" }],
        notes: ["Skipped photo.png: too large."],
        model: "gpt-4o-mini-2024-07-18",
      }),
    );
    queue.end();
    await runToEnd(rendering, clock);
    expect(recording.visibleTexts()).toEqual([
      `${answer}\n\n**Sources**\n1. [One](https://example.com/one)\n\n*Skipped photo.png: too large.*\n*Model: gpt-4o-mini-2024-07-18*`,
    ]);
    const writes = recording.calls.filter((call) => call.kind === "post" || call.kind === "edit");
    expect(writes.length).toBeGreaterThan(1);
    expect(writes.filter((call) => call.text.includes("Model:")).map((call) => call.kind)).toEqual(["edit"]);
    expect(writes.at(-1)?.text.endsWith("*Model: gpt-4o-mini-2024-07-18*")).toBe(true);
  });

  it("gives the model line a message of its own rather than pass the limit", async () => {
    const clock = createFakeClock();
    const recording = createRecordingSurface({ clock, maxMessageLength: 2000 });
    const answer = prose(1985, 5).slice(0, 1990);
    const events = eventsOf([{ type: "text", delta: answer }, done(answer, { model: "gpt-4o" })]);
    await runToEnd(renderReply(events, recording.surface, clock), clock);
    expect(recording.visibleTexts()).toEqual([answer, "*Model: gpt-4o*"]);
    for (const call of recording.calls) expect(call.text.length).toBeLessThanOrEqual(2000);
  });

  it("shows no model line under a command that called no model", async () => {
    const clock = createFakeClock();
    const recording = createRecordingSurface({ clock });
    const events = eventsOf([done("Done: I forgot this conversation. The next message starts fresh.")]);
    await runToEnd(renderReply(events, recording.surface, clock), clock);
    expect(recording.visibleTexts()).toEqual([
      "Done: I forgot this conversation. The next message starts fresh.",
    ]);
  });

  it("says so when the model returned an empty answer", async () => {
    const clock = createFakeClock();
    const recording = createRecordingSurface({ clock });
    const outcome = await runToEnd(
      renderReply(eventsOf([done("", { model: "gpt-4o" })]), recording.surface, clock),
      clock,
    );
    expect(recording.visibleTexts()).toEqual(["(The model returned an empty answer.)\n\n*Model: gpt-4o*"]);
    expect(outcome.outcome).toBe("done");
  });

  it("keeps every message within the limit when formatting makes text longer", async () => {
    const clock = createFakeClock();
    const escapeAmpersands = (markdown: string): string => markdown.replaceAll("&", "&amp;");
    const recording = createRecordingSurface({ clock, maxMessageLength: 500, format: escapeAmpersands });
    const answer = Array.from({ length: 300 }, (_, index) => `R&D&Q&A ${index}`).join(" ");
    const events = eventsOf([...textDeltas(answer, 90), done(answer)]);
    const outcome = await runToEnd(renderReply(events, recording.surface, clock), clock);
    for (const call of recording.calls) expect(call.text.length).toBeLessThanOrEqual(500);
    const expected = layoutReply(answer, "", 500, escapeAmpersands).map(escapeAmpersands);
    expect(recording.visibleTexts()).toEqual(expected);
    expect(outcome.chunks).toEqual(expected);
    expect(expected.join(" ")).toBe(escapeAmpersands(answer));
  });
});
