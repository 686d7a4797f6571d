// The controls the renderer gives a reply's messages: Stop while streaming, then 👍/👎, Retry or nothing.
import { describe, expect, it } from "vitest";
import { ParleyError } from "../../../src/errors.ts";
import { renderReply } from "../../../src/render/render-reply.ts";
import type { PostedMessage, ReplyControl, ReplySurface } from "../../../src/render/surface.ts";
import type { ReplyEvent, ReplyResult } from "../../../src/types.ts";
import { eventsOf, textDeltas } from "./event-queue.ts";
import { createFakeClock, runToEnd } from "./fake-clock.ts";

/** A surface that draws controls and remembers what each write showed. */
function controlsSurface(maxMessageLength = 2000) {
  const writes: { id: string; text: string; controls: readonly ReplyControl[] }[] = [];
  let posts = 0;
  const surface: ReplySurface = {
    maxMessageLength,
    editIntervalMs: 1000,
    drawsControls: true,
    async post(text, controls = []) {
      const message: PostedMessage = { id: `m${++posts}` };
      writes.push({ id: message.id, text, controls });
      return message;
    },
    async edit(message, text, controls = []) {
      writes.push({ id: message.id, text, controls });
    },
  };
  /** The controls each message shows at the end. */
  const finalControls = () => {
    const last = new Map<string, readonly ReplyControl[]>();
    for (const write of writes) last.set(write.id, write.controls);
    return [...last.values()];
  };
  return { surface, writes, finalControls };
}

const done = (text: string, extra: Partial<ReplyResult> = {}): ReplyEvent => ({
  type: "done",
  result: { text, citations: [], notes: [], model: "gpt-4o", ...extra },
});

async function render(events: ReplyEvent[], maxMessageLength?: number) {
  const clock = createFakeClock();
  const recorded = controlsSurface(maxMessageLength);
  await runToEnd(renderReply(eventsOf(events), recorded.surface, clock), clock);
  return recorded;
}

describe("reply controls", () => {
  it("a streaming answer shows Stop, a finished one ends with 👍/👎 instead", async () => {
    const { writes, finalControls } = await render([...textDeltas("Hello there", 3), done("Hello there")]);
    expect(writes[0]?.controls).toEqual(["stop"]);
    expect(finalControls()).toEqual([["feedback"]]);
  });

  it("only the last of several messages carries controls", async () => {
    const long = `${"a".repeat(150)}\n\n${"b".repeat(150)}`;
    const { finalControls, writes } = await render([...textDeltas(long, 40), done(long)], 200);
    expect(finalControls()).toEqual([[], ["feedback"]]);
    // The first message streamed with Stop and lost it once the answer went on past it.
    expect(writes.find((write) => write.id === "m1")?.controls).toEqual(["stop"]);
  });

  it("a stopped answer keeps no controls; a cut one offers Retry; a refusal offers nothing", async () => {
    const stopped = await render([...textDeltas("Part", 2), done("Part", { stopped: true })]);
    expect(stopped.finalControls()).toEqual([[]]);
    const cut = await render([
      ...textDeltas("Half an", 3),
      { type: "error", error: new ParleyError("stream_interrupted", "cut"), partialText: "Half an" },
    ]);
    expect(cut.finalControls()).toEqual([["retry"]]);
    const refused = await render([
      {
        type: "error",
        error: new ParleyError("limit_reached", "You reached today's limit."),
        partialText: "",
      },
    ]);
    expect(refused.finalControls()).toEqual([[]]);
  });

  it("a command's own text (no model) carries no controls", async () => {
    const { finalControls } = await render([done("**Usage** …", { model: undefined })]);
    expect(finalControls()).toEqual([[]]);
  });
});
