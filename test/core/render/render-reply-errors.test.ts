// How the renderer shows failures: a cut-off answer keeps its text, an early error is told, a failing platform is survived.
import { describe, expect, it } from "vitest";
import { ParleyError } from "../../../src/errors.ts";
import { renderReply } from "../../../src/render/render-reply.ts";
import type { ReplyEvent } from "../../../src/types.ts";
import { fencesBalanced } from "./chunk-checks.ts";
import { createEventQueue, eventsOf, textDeltas } from "./event-queue.ts";
import { createFakeClock, runToEnd, settle } from "./fake-clock.ts";
import { createRecordingSurface } from "./fake-surface.ts";
import { longPythonAnswer } from "./fixtures.ts";

const timeout = new ParleyError("provider_timeout", "The AI provider took too long to answer.");

describe("renderReply when the stream fails", () => {
  it("keeps the text shown so far and says it was cut off", async () => {
    const clock = createFakeClock();
    const recording = createRecordingSurface({ clock });
    const events = eventsOf([
      { type: "text", delta: "The first half" },
      { type: "text", delta: " of an answer" },
      { type: "error", error: timeout, partialText: "The first half of an answer" },
    ]);
    const outcome = await runToEnd(renderReply(events, recording.surface, clock), clock);
    expect(recording.visibleTexts()).toEqual([
      "The first half of an answer\n\n⚠️ *The answer was cut off: The AI provider took too long to answer.*",
    ]);
    expect(outcome.outcome).toBe("error");
    expect(outcome.errorCode).toBe("provider_timeout");
  });

  it("names the model that was answering under a cut-off answer", async () => {
    const clock = createFakeClock();
    const recording = createRecordingSurface({ clock });
    const events = eventsOf([
      { type: "model", model: "gpt-4o-mini" },
      { type: "model", model: "gpt-4o-mini-2024-07-18" },
      { type: "text", delta: "The first half" },
      { type: "error", error: timeout, partialText: "The first half" },
    ]);
    await runToEnd(renderReply(events, recording.surface, clock), clock);
    expect(recording.visibleTexts()).toEqual([
      "The first half\n\n⚠️ *The answer was cut off: The AI provider took too long to answer.*\n*Model: gpt-4o-mini-2024-07-18*",
    ]);
  });

  it("names no model under an error that came before any answer text", async () => {
    const clock = createFakeClock();
    const recording = createRecordingSurface({ clock });
    const events = eventsOf([
      { type: "model", model: "gpt-4o-mini" },
      { type: "error", error: timeout, partialText: "" },
    ]);
    await runToEnd(renderReply(events, recording.surface, clock), clock);
    expect(recording.visibleTexts()).toEqual(["⚠️ The AI provider took too long to answer."]);
  });

  it("closes an open code block before the cut-off notice and keeps every message within the limit", async () => {
    const clock = createFakeClock();
    const recording = createRecordingSurface({ clock, maxMessageLength: 2000 });
    const partial = longPythonAnswer.slice(0, longPythonAnswer.indexOf("result_35"));
    const events = eventsOf([
      ...textDeltas(partial, 300),
      { type: "error", error: timeout, partialText: partial },
    ]);
    await runToEnd(renderReply(events, recording.surface, clock), clock);
    const texts = recording.visibleTexts();
    for (const text of texts) {
      expect(text.length).toBeLessThanOrEqual(2000);
      expect(fencesBalanced(text)).toBe(true);
    }
    expect(texts.at(-1)).toMatch(
      /\n```\n\n⚠️ \*The answer was cut off: The AI provider took too long to answer\.\*$/,
    );
  });

  it("sends an error without any text to postError and posts nothing", async () => {
    const clock = createFakeClock();
    const recording = createRecordingSurface({ clock, withPostError: true });
    const events = eventsOf([{ type: "error", error: timeout, partialText: "" }]);
    const outcome = await runToEnd(renderReply(events, recording.surface, clock), clock);
    expect(recording.calls.map((call) => [call.kind, call.text])).toEqual([
      ["error", "The AI provider took too long to answer."],
    ]);
    expect(outcome).toEqual({ messages: [], chunks: [], outcome: "error", errorCode: "provider_timeout" });
  });

  it("posts an error without any text as a message when the surface has no postError", async () => {
    const clock = createFakeClock();
    const recording = createRecordingSurface({ clock });
    const events = eventsOf([{ type: "error", error: timeout, partialText: "" }]);
    await runToEnd(renderReply(events, recording.surface, clock), clock);
    expect(recording.visibleTexts()).toEqual(["⚠️ The AI provider took too long to answer."]);
  });

  it("treats a stream that ends without done as cut off", async () => {
    const clock = createFakeClock();
    const recording = createRecordingSurface({ clock });
    const outcome = await runToEnd(
      renderReply(eventsOf([{ type: "text", delta: "Partial" }]), recording.surface, clock),
      clock,
    );
    expect(recording.visibleTexts()[0]).toMatch(/^Partial\n\n⚠️ \*The answer was cut off: /);
    expect(outcome.errorCode).toBe("stream_interrupted");
  });

  it("turns a stream that throws into an error outcome, without an unhandled rejection", async () => {
    const clock = createFakeClock();
    const recording = createRecordingSurface({ clock, withPostError: true });
    async function* throwing(): AsyncGenerator<ReplyEvent> {
      yield { type: "text", delta: "Some text" };
      throw new Error("socket hang up");
    }
    const outcome = await runToEnd(renderReply(throwing(), recording.surface, clock), clock);
    expect(outcome.outcome).toBe("error");
    expect(outcome.errorCode).toBe("internal");
    expect(recording.visibleTexts()[0]).toMatch(
      /^Some text\n\n⚠️ \*The answer was cut off: Something went wrong/,
    );
  });
});

describe("renderReply when the platform fails", () => {
  it("stops streaming edits after a refused edit and still shows the final answer", async () => {
    const clock = createFakeClock();
    const recording = createRecordingSurface({ clock, failEditsFrom: 1 });
    const queue = createEventQueue();
    const rendering = renderReply(queue, recording.surface, clock);
    queue.push({ type: "text", delta: "One" });
    queue.push({ type: "text", delta: " two" });
    await clock.advance(1000);
    queue.push({ type: "text", delta: " three" });
    await clock.advance(5000);
    // One refused edit, then no more edits while streaming.
    expect(recording.calls.map((call) => call.kind)).toEqual(["post", "edit"]);
    queue.push({ type: "done", result: { text: "One two three", citations: [], notes: [] } });
    queue.end();
    const outcome = await runToEnd(rendering, clock);
    expect(recording.calls.at(-1)).toMatchObject({ kind: "edit", text: "One two three" });
    // Edits keep failing here, so the reply is reported as not shown.
    expect(outcome).toMatchObject({ outcome: "error", errorCode: "surface_failed", chunks: ["One"] });
    expect(outcome.surfaceError).toBeInstanceOf(Error);
  });

  it("recovers the final answer when only a streaming edit was refused", async () => {
    const clock = createFakeClock();
    const recording = createRecordingSurface({ clock });
    let edits = 0;
    const edit = recording.surface.edit.bind(recording.surface);
    recording.surface.edit = async (message, text) => {
      edits++;
      if (edits === 1) throw new Error("rate limited");
      await edit(message, text);
    };
    const queue = createEventQueue();
    const rendering = renderReply(queue, recording.surface, clock);
    queue.push({ type: "text", delta: "One" });
    queue.push({ type: "text", delta: " two" });
    await clock.advance(1000);
    queue.push({ type: "done", result: { text: "One two three", citations: [], notes: [] } });
    queue.end();
    const outcome = await runToEnd(rendering, clock);
    expect(recording.visibleTexts()).toEqual(["One two three"]);
    expect(outcome).toMatchObject({ outcome: "done", chunks: ["One two three"] });
  });

  it("reports surface_failed when nothing can be posted, without throwing", async () => {
    const clock = createFakeClock();
    const recording = createRecordingSurface({ clock, failPostsFrom: 1 });
    const queue = createEventQueue();
    const rendering = renderReply(queue, recording.surface, clock);
    queue.push({ type: "text", delta: "Hello" });
    await settle();
    const outcome = await runToEnd(rendering, clock);
    expect(outcome).toMatchObject({
      messages: [],
      chunks: [],
      outcome: "error",
      errorCode: "surface_failed",
    });
    expect(recording.calls).toHaveLength(1);
  });

  it("reports surface_failed when a continuation cannot be posted", async () => {
    const clock = createFakeClock();
    const recording = createRecordingSurface({ clock, failPostsFrom: 2 });
    const events = eventsOf([
      ...textDeltas(longPythonAnswer, 1000),
      { type: "done", result: { text: longPythonAnswer, citations: [], notes: [] } },
    ]);
    const outcome = await runToEnd(renderReply(events, recording.surface, clock), clock);
    expect(outcome.outcome).toBe("error");
    expect(outcome.errorCode).toBe("surface_failed");
    expect(outcome.messages).toEqual([{ id: "m1" }]);
  });
});
