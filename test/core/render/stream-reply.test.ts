// The renderer on a surface with a native append-only stream: pieces sent once, limits, footer whole, hand-over.
import { describe, expect, it } from "vitest";
import { ParleyError } from "../../../src/errors.ts";
import { renderReply } from "../../../src/render/render-reply.ts";
import {
  type MessageStream,
  type PostedMessage,
  type ReplyControl,
  type ReplySurface,
  type ReplyTask,
  StreamUnavailableError,
} from "../../../src/render/surface.ts";
import type { ReplyEvent, ReplyResult } from "../../../src/types.ts";
import { eventsOf, textDeltas } from "./event-queue.ts";
import { createFakeClock, runToEnd } from "./fake-clock.ts";

interface StreamedMessage {
  id: string;
  pieces: string[];
  tasks: ReplyTask[];
  stoppedWith?: readonly ReplyControl[];
}

/** A surface whose stream records every piece; post and edit record the fallback's writes. */
function streamingSurface(
  options: { maxMessageLength?: number; unavailable?: boolean; failStartNumber?: number } = {},
) {
  const streamed: StreamedMessage[] = [];
  const posted: { text: string; controls: readonly ReplyControl[] }[] = [];
  const inertInputs: string[] = [];
  let starts = 0;
  const find = (message: PostedMessage) => {
    const found = streamed.find((candidate) => candidate.id === message.id);
    if (!found) throw new Error(`no stream ${message.id}`);
    return found;
  };
  const stream: MessageStream = {
    maxMessageLength: options.maxMessageLength ?? 1000,
    appendIntervalMs: 500,
    inert(markdown) {
      inertInputs.push(markdown);
      return markdown.replaceAll("<@", "<\u2060@");
    },
    async start(piece) {
      starts++;
      if (options.unavailable) throw new StreamUnavailableError("not here");
      if (starts === options.failStartNumber) throw new Error("ratelimited");
      const message = { id: `s${streamed.length + 1}`, pieces: [piece.markdown], tasks: [...piece.tasks] };
      streamed.push(message);
      return { id: message.id };
    },
    async append(message, piece) {
      const target = find(message);
      if (target.stoppedWith) throw new Error("appended after stop");
      target.pieces.push(piece.markdown);
      target.tasks.push(...piece.tasks);
    },
    async stop(message, controls) {
      find(message).stoppedWith = controls;
    },
  };
  const surface: ReplySurface = {
    maxMessageLength: 1000,
    editIntervalMs: 500,
    drawsControls: true,
    stream,
    async post(text, controls = []) {
      posted.push({ text, controls });
      return { id: `p${posted.length}` };
    },
    async edit(_message, text, controls = []) {
      posted.push({ text, controls });
    },
  };
  return { surface, streamed, posted, inertInputs, starts: () => starts };
}

const done = (text: string, extra: Partial<ReplyResult> = {}): ReplyEvent => ({
  type: "done",
  result: { text, citations: [], notes: [], model: "gpt-4o", ...extra },
});

async function render(events: ReplyEvent[], recorded: ReturnType<typeof streamingSurface>) {
  const clock = createFakeClock();
  return runToEnd(renderReply(eventsOf(events), recorded.surface, clock), clock);
}

const textOf = (message: StreamedMessage | undefined) => message?.pieces.join("") ?? "";

describe("streamed replies", () => {
  it("appends each character once, the model line last, feedback on the stop", async () => {
    const recorded = streamingSurface();
    const answer = "Hello there, <@U1> and friends. This goes on a little.";
    const outcome = await render([...textDeltas(answer, 4), done(answer)], recorded);
    expect(outcome.outcome).toBe("done");
    expect(recorded.streamed).toHaveLength(1);
    const [message] = recorded.streamed;
    expect(textOf(message)).toBe(`${answer.replace("<@", "<\u2060@")}\n\n*Model: gpt-4o*`);
    expect(message?.stoppedWith).toEqual(["feedback"]);
    // The first text goes out as it arrives, not at the next space.
    expect(recorded.inertInputs[0]).toBe("Hell");
    // A piece may end inside a word, never inside one that could still become a mention: the mention is whole.
    for (const input of recorded.inertInputs.slice(0, -2)) expect(input).not.toMatch(/[<&@]\S*$/);
    expect(recorded.inertInputs.some((input) => input.includes("<@U1>"))).toBe(true);
    expect(recorded.posted).toEqual([]);
  });

  it("continues past the limit in a new message and moves the footer whole rather than cut it", async () => {
    const recorded = streamingSurface({ maxMessageLength: 120 });
    const body = "word ".repeat(21).trim();
    const citations = [{ url: "https://example.com/a", title: "A source" }];
    await render([...textDeltas(body, 10), done(body, { citations })], recorded);
    const texts = recorded.streamed.map(textOf);
    expect(texts.length).toBeGreaterThanOrEqual(2);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(120);
    const footer = "**Sources**\n1. [A source](https://example.com/a)\n\n*Model: gpt-4o*";
    expect(texts.at(-1)).toBe(footer);
    expect(texts.join("").replace(footer, "").trim()).toBe(body);
    expect(recorded.streamed.map((message) => message.stoppedWith)).toEqual([[], ["feedback"]]);
  });

  it("when a continuation cannot start, the rest is posted from where the shown text ends: nothing twice", async () => {
    const recorded = streamingSurface({ maxMessageLength: 120, failStartNumber: 2 });
    const words = Array.from({ length: 40 }, (_, index) => `w${index}`);
    const body = words.join(" ");
    // The whole answer arrives in one piece, so one write crosses from the first message into the second.
    await render([{ type: "text", delta: body }, done(body)], recorded);
    const streamedText = recorded.streamed.map(textOf).join("");
    const postedText = recorded.posted.map((post) => post.text).join("\n");
    for (const word of words) {
      const shown = `${streamedText}\n${postedText}`.match(new RegExp(`\\b${word}\\b`, "g")) ?? [];
      expect(shown, word).toHaveLength(1);
    }
    expect(postedText).toContain("*Model: gpt-4o*");
  });

  it("closes a code fence at a message's end and reopens it in the next", async () => {
    const recorded = streamingSurface({ maxMessageLength: 150 });
    const code = Array.from({ length: 30 }, (_, index) => `x${index} = ${index}`).join("\n");
    const answer = `Code:\n\n\`\`\`py\n${code}\n\`\`\``;
    await render([...textDeltas(answer, 7), done(answer)], recorded);
    const texts = recorded.streamed.map(textOf);
    expect(texts.length).toBeGreaterThanOrEqual(2);
    for (const text of texts) expect((text.match(/```/g) ?? []).length % 2).toBe(0);
    expect(texts[1]?.startsWith("```py\n")).toBe(true);
  });

  it("shows a status as a task at once, completed with the answer's sources", async () => {
    const recorded = streamingSurface();
    const citations = [{ url: "https://nodejs.org", title: "Node.js" }];
    await render(
      [
        { type: "status", text: "Searching the web…" },
        ...textDeltas("Node 24 is LTS.", 5),
        done("Node 24 is LTS.", { citations }),
      ],
      recorded,
    );
    const [message] = recorded.streamed;
    expect(message?.pieces[0]).toBe("");
    expect(message?.tasks[0]).toEqual({ id: "task-1", title: "Searching the web…", status: "in_progress" });
    expect(message?.tasks.at(-1)).toEqual({
      id: "task-1",
      title: "Searching the web…",
      status: "complete",
      sources: citations,
    });
  });

  it("an error after text appends the cut-off notice and stops with Retry", async () => {
    const recorded = streamingSurface();
    const error = new ParleyError("provider_unavailable", "The model provider is not answering.");
    await render(
      [...textDeltas("Partial answer here ", 5), { type: "error", error, partialText: "" }],
      recorded,
    );
    const [message] = recorded.streamed;
    expect(textOf(message)).toBe(
      "Partial answer here\n\n⚠️ *The answer was cut off: The model provider is not answering.*",
    );
    expect(message?.stoppedWith).toEqual(["retry"]);
  });

  it("where the platform cannot stream, the reply is posted and edited instead, every event kept", async () => {
    const recorded = streamingSurface({ unavailable: true });
    const answer = "Posted the usual way, with all its words.";
    const outcome = await render([...textDeltas(answer, 6), done(answer)], recorded);
    expect(outcome.outcome).toBe("done");
    expect(recorded.starts()).toBe(1);
    expect(recorded.streamed).toEqual([]);
    expect(recorded.posted.at(-1)).toEqual({ text: `${answer}\n\n*Model: gpt-4o*`, controls: ["feedback"] });
  });

  it("a reply that ends before anything was shown is written the edited way (a command's own text)", async () => {
    const recorded = streamingSurface();
    await render([done("Usage this month: none.", { model: undefined })], recorded);
    expect(recorded.starts()).toBe(0);
    expect(recorded.posted.at(-1)?.text).toBe("Usage this month: none.");
  });
});
