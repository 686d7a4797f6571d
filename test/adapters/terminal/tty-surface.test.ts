// The interactive terminal's surface: answers stream live, then stay on screen rendered, each block exactly once.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createTtySurface } from "../../../adapters/terminal/tty-surface.ts";
import { ParleyError } from "../../../src/errors.ts";
import { renderReply } from "../../../src/render/render-reply.ts";
import type { ReplyEvent, ReplyResult } from "../../../src/types.ts";
import { screenLines } from "../../support/terminal-screen.ts";

/** A terminal-sized output stream that records what was written. */
function fakeTerminal(columns: number, rows: number) {
  const stream = Object.assign(new PassThrough(), { columns, rows, isTTY: true });
  let written = "";
  stream.on("data", (chunk) => {
    written += chunk;
  });
  return {
    stream: stream as unknown as NodeJS.WriteStream,
    screen: () => screenLines(written, columns),
    written: () => written,
  };
}

/** The engine's events for `text` streamed `size` characters at a time, then `ending`. */
async function* streamed(text: string, size: number, ending: ReplyEvent): AsyncGenerator<ReplyEvent> {
  for (let start = 0; start < text.length; start += size) {
    yield { type: "text", delta: text.slice(start, start + size) };
    await new Promise((resolve) => setImmediate(resolve));
  }
  yield ending;
}

const done = (text: string, extra: Partial<ReplyResult> = {}): ReplyEvent => ({
  type: "done",
  result: { text, citations: [], notes: [], ...extra },
});

async function show(events: AsyncIterable<ReplyEvent>, columns = 60, rows = 20) {
  const terminal = fakeTerminal(columns, rows);
  const surface = createTtySurface(terminal.stream);
  await renderReply(events, surface);
  surface.finish();
  return terminal;
}

const count = (lines: string[], needle: string) => lines.filter((line) => line.includes(needle)).length;

describe("the interactive terminal surface", () => {
  it("leaves every block once, rendered, with the Sources and notes under the answer", async () => {
    const text =
      "First paragraph with **strong** words.\n\n1. one\n2. two\n\n```sh\nnpm run chat\n```\n\nLast words.";
    const events = (async function* (): AsyncGenerator<ReplyEvent> {
      yield { type: "status", text: "Searching the web…" };
      yield* streamed(
        text,
        3,
        done(text, {
          citations: [{ url: "https://nodejs.org/en", title: "Node.js" }],
          notes: ["A note for you."],
        }),
      );
    })();
    const screen = (await show(events)).screen();
    for (const needle of ["First paragraph with strong words.", "one", "two", "npm run chat", "Last words."])
      expect(count(screen, needle), needle).toBe(1);
    expect(count(screen, "Sources")).toBe(1);
    expect(count(screen, "Node.js (https://nodejs.org/en)")).toBe(1);
    expect(count(screen, "A note for you.")).toBe(1);
    expect(screen.join("\n")).not.toMatch(/\*\*|```|Searching the web/);
  });

  it("erases exactly the live block when its lines are wrapped and hold wide characters", async () => {
    const text = `${"漢字とかな ".repeat(12)}end of the first block.\n\nsecond block`;
    const screen = (await show(streamed(text, 4, done(text)), 24, 30)).screen();
    expect(count(screen, "end of the first block.")).toBe(1);
    expect(count(screen, "second block")).toBe(1);
    expect(screen.join("").match(/漢字とかな/g)).toHaveLength(12);
  });

  it("a block taller than the screen stops growing live, and is shown whole once finished", async () => {
    const lines = Array.from({ length: 30 }, (_, index) => `line ${index + 1}`);
    const text = `\`\`\`\n${lines.join("\n")}\n\`\`\``;
    const terminal = await show(streamed(text, 5, done(text)), 40, 10);
    const screen = terminal.screen();
    for (const line of lines)
      expect(
        screen.filter((shown) => shown.trim() === line),
        line,
      ).toHaveLength(1);
    expect(terminal.written()).toContain("…");
  });

  it("keeps the text of a failed answer and puts the reason under it", async () => {
    const error = new ParleyError("stream_interrupted", "The connection to the AI provider broke.");
    const failed = streamed("Half an answer", 4, { type: "error", error, partialText: "Half an answer" });
    const screen = (await show(failed, 100)).screen().join("\n");
    expect(screen.match(/Half an answer/g)).toHaveLength(1);
    expect(screen).toContain("The answer was cut off: The connection to the AI provider broke.");
  });

  it("never lets the model's text move the cursor or recolour the terminal", async () => {
    const text = "safe\x1b[2J\x1b[31m text\x07 here";
    const terminal = await show(streamed(text, 3, done(text)));
    expect(terminal.written()).not.toContain("\x1b[2J");
    expect(terminal.written()).not.toContain("\x1b[31m");
    expect(terminal.written()).not.toContain("\x07");
    expect(terminal.screen().join("\n")).toContain("safe[2J[31m text here");
  });
});
