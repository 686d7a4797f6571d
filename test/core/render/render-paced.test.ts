// Many replies on one shared budget: coalesced edits, first texts and final writes first, every answer complete.
import { describe, expect, it } from "vitest";
import { ParleyError } from "../../../src/errors.ts";
import { createEditPacer } from "../../../src/render/edit-pacer.ts";
import { renderReply } from "../../../src/render/render-reply.ts";
import type { ReplyEvent } from "../../../src/types.ts";
import { createEventQueue, type EventQueue, textDeltas } from "./event-queue.ts";
import { createFakeClock, runToEnd, settle } from "./fake-clock.ts";
import { createRecordingSurface, type RecordingSurface } from "./fake-surface.ts";
import { prose } from "./fixtures.ts";

function done(text: string): ReplyEvent {
  return { type: "done", result: { text, citations: [], notes: [] } };
}

interface Streamer {
  answer: string;
  queue: EventQueue;
  recording: RecordingSurface;
  deltas: ReplyEvent[];
}

describe("renderReply on a shared budget", () => {
  it("keeps ten streaming replies within the budget, shows every first text before streaming edits, and ends each complete", async () => {
    const clock = createFakeClock();
    const rate = { limit: 5, windowMs: 1000, marginMs: 0 };
    const budget = createEditPacer(rate, clock).budget("workspace");
    const streamers: Streamer[] = Array.from({ length: 10 }, (_, index) => {
      const answer = prose(600, index + 1);
      return {
        answer,
        queue: createEventQueue(),
        recording: createRecordingSurface({ clock, editIntervalMs: 200, maxMessageLength: 4000, budget }),
        deltas: textDeltas(answer, 10),
      };
    });
    const renderings = streamers.map((streamer) =>
      renderReply(streamer.queue, streamer.recording.surface, clock),
    );

    // Every reply streams a delta each 50 ms for about three seconds.
    for (let step = 0; streamers.some((streamer) => step < streamer.deltas.length); step++) {
      for (const streamer of streamers) {
        const delta = streamer.deltas[step];
        if (delta) streamer.queue.push(delta);
      }
      await clock.advance(50);
    }
    const doneAtMs = clock.now();
    for (const streamer of streamers) {
      streamer.queue.push(done(streamer.answer));
      streamer.queue.end();
    }
    const outcomes = await runToEnd(Promise.all(renderings), clock);

    const calls = streamers
      .flatMap((streamer, reply) => streamer.recording.calls.map((call) => ({ ...call, reply })))
      .sort((a, b) => a.atMs - b.atMs);
    // No window holds more writes than the budget allows.
    for (let index = rate.limit; index < calls.length; index++) {
      expect((calls[index]?.atMs ?? 0) - (calls[index - rate.limit]?.atMs ?? 0)).toBeGreaterThanOrEqual(1000);
    }
    // The five replies that found no slot at once showed their first text before anyone's streaming edit.
    const lastFirstPost = Math.max(...calls.filter((call) => call.kind === "post").map((call) => call.atMs));
    const firstEdit = Math.min(...calls.filter((call) => call.kind === "edit").map((call) => call.atMs));
    expect(lastFirstPost).toBe(1000);
    expect(firstEdit).toBeGreaterThanOrEqual(lastFirstPost);
    for (const [index, streamer] of streamers.entries()) {
      expect(outcomes[index]).toMatchObject({ outcome: "done", chunks: [streamer.answer] });
      expect(streamer.recording.visibleTexts()).toEqual([streamer.answer]);
      // Coalesced, never stale: each write shows more of the answer than the one before.
      const texts = streamer.recording.calls.map((call) => call.text);
      for (let write = 1; write < texts.length; write++) {
        expect(texts[write]?.length).toBeGreaterThan(texts[write - 1]?.length ?? 0);
        expect(streamer.answer.startsWith(texts[write] ?? "")).toBe(true);
      }
      expect(streamer.recording.overlapped()).toBe(false);
    }
    // The final writes go before the streaming edits still waiting: ten of them need two windows at most.
    const lastWrite = calls.at(-1)?.atMs ?? 0;
    expect(lastWrite - doneAtMs).toBeLessThanOrEqual(2000);
  });

  it("shows a new reply's first text ahead of the streaming edits already waiting", async () => {
    const clock = createFakeClock();
    const budget = createEditPacer({ limit: 1, windowMs: 1000, marginMs: 0 }, clock).budget("channel");
    const busy = Array.from({ length: 3 }, () => ({
      queue: createEventQueue(),
      recording: createRecordingSurface({ clock, editIntervalMs: 0, budget }),
    }));
    const renderings = busy.map((reply) => renderReply(reply.queue, reply.recording.surface, clock));
    for (const reply of busy) reply.queue.push({ type: "text", delta: "Streaming" });
    // Their first posts took the slots at 0, 1000 and 2000 ms; the next slot frees at 3000 ms.
    await clock.advance(2500);
    for (const reply of busy) reply.queue.push({ type: "text", delta: " more" });
    await settle();

    const late = { queue: createEventQueue(), recording: createRecordingSurface({ clock, budget }) };
    const lateRendering = renderReply(late.queue, late.recording.surface, clock);
    late.queue.push({ type: "text", delta: "Hello" });
    await clock.advance(500);
    // The three streaming edits queued first; the new reply's first text still took the next slot.
    expect(late.recording.calls).toEqual([{ kind: "post", text: "Hello", atMs: 3000 }]);
    expect(busy.flatMap((reply) => reply.recording.calls).filter((call) => call.kind === "edit")).toEqual([]);

    for (const reply of [...busy, late]) {
      reply.queue.push(done("Streaming more"));
      reply.queue.end();
    }
    const outcomes = await runToEnd(Promise.all([...renderings, lateRendering]), clock);
    expect(outcomes.map((outcome) => outcome.chunks)).toEqual([
      ["Streaming more"],
      ["Streaming more"],
      ["Streaming more"],
      ["Streaming more"],
    ]);
  });

  it("gives every slot back however a reply ends: refused posts and edits, errors, a stream cut off", async () => {
    const clock = createFakeClock();
    const rate = { limit: 3, windowMs: 1000, marginMs: 0 };
    const budget = createEditPacer(rate, clock).budget("channel");
    const endings: { surface: RecordingSurface; events: ReplyEvent[]; closeStream: boolean }[] = [
      {
        surface: createRecordingSurface({ clock, budget, failPostsFrom: 1 }),
        events: [{ type: "text", delta: "Hi" }],
        closeStream: false,
      },
      {
        surface: createRecordingSurface({ clock, budget, failEditsFrom: 1 }),
        events: [...textDeltas(prose(300, 1), 20), done(prose(300, 1))],
        closeStream: true,
      },
      {
        surface: createRecordingSurface({ clock, budget, withPostError: true }),
        events: [
          {
            type: "error",
            error: new ParleyError("provider_unavailable", "The model is down."),
            partialText: "",
          },
        ],
        closeStream: true,
      },
      {
        surface: createRecordingSurface({ clock, budget }),
        events: textDeltas(prose(300, 2), 20),
        closeStream: true,
      },
    ];
    const renderings = endings.map(async (ending) => {
      const queue = createEventQueue();
      const rendering = renderReply(queue, ending.surface.surface, clock);
      for (const event of ending.events) {
        queue.push(event);
        await clock.advance(100);
      }
      if (ending.closeStream) queue.end();
      return rendering;
    });
    const outcomes = await runToEnd(Promise.all(renderings), clock);
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(["error", "error", "error", "error"]);
    await clock.advance(rate.windowMs);
    // The whole budget is free again: no write left a slot held.
    const tickets = Array.from({ length: rate.limit }, () => budget.tryNow());
    expect(tickets.every((ticket) => ticket?.isGranted())).toBe(true);
  });

  it("skips a passing status when the budget has no slot free, and still shows the answer", async () => {
    const clock = createFakeClock();
    const budget = createEditPacer({ limit: 1, windowMs: 1000, marginMs: 0 }, clock).budget("workspace");
    const other = budget.request("stream");
    void other.granted.then(() => other.done());
    const recording = createRecordingSurface({ clock, budget, withStatus: true });
    const queue = createEventQueue();
    const rendering = renderReply(queue, recording.surface, clock);
    queue.push({ type: "status", text: "Searching the web…" });
    queue.push({ type: "text", delta: "Found it." });
    queue.push(done("Found it."));
    queue.end();
    const outcome = await runToEnd(rendering, clock);
    expect(recording.calls).toEqual([{ kind: "post", text: "Found it.", atMs: 1000 }]);
    expect(outcome.outcome).toBe("done");
  });
});
