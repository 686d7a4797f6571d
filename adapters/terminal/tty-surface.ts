// The renderer's surface on an interactive terminal: finished blocks printed as rendered Markdown, the last one live.
import type { PostedMessage, ReplySurface } from "../../src/render/surface.ts";
import { LiveTail, type ScreenSize } from "./live-tail.ts";
import { createTerminalMarkdown, type TerminalMarkdown, terminalSafe } from "./terminal-markdown.ts";

/** A surface the adapter tells when the reply is over, so its last block is rendered too. */
export interface TtySurface extends ReplySurface {
  /** Renders what is still shown raw; call once the renderer is done. */
  finish(): void;
}

const dim = (text: string): string => `\x1b[2m${text}\x1b[22m`;

/**
 * Streams an answer without showing it twice: each block (paragraph, list, code block) is printed rendered once it
 * is finished, and only the block still being written is shown raw, below, and replaced when it is done. Nothing
 * printed above the live block is ever taken back, so the scrollback holds each answer once.
 */
export function createTtySurface(output: NodeJS.WriteStream): TtySurface {
  const size: ScreenSize = () => ({
    columns: output.columns > 0 ? output.columns : 80,
    rows: output.rows > 0 ? output.rows : 24,
  });
  const tail = new LiveTail(output, size);
  let markdown: TerminalMarkdown | undefined;
  /** The current message's text, made safe for the terminal. */
  let source = "";
  /** How much of `source` is printed rendered. */
  let settled = 0;
  let count = 0;

  const printRendered = (block: string): void => {
    markdown ??= createTerminalMarkdown(size().columns);
    let rendered: string;
    try {
      rendered = markdown.render(block);
    } catch {
      // A rendering bug must not cost the answer: show its Markdown as written.
      rendered = block.trim();
    }
    if (rendered !== "") output.write(`${rendered}\n\n`);
  };

  const update = (text: string): void => {
    const safe = terminalSafe(text);
    if (!safe.startsWith(source.slice(0, settled))) {
      // The renderer replaced text already printed (rare): show the new text in full below.
      tail.erase();
      settled = 0;
    }
    source = safe;
    markdown ??= createTerminalMarkdown(size().columns);
    const finished = settled + markdown.finishedLength(safe.slice(settled));
    if (finished > settled) {
      tail.erase();
      printRendered(safe.slice(settled, finished));
      settled = finished;
    }
    tail.show(safe.slice(settled).replace(/^\n+/, ""));
  };

  const finishMessage = (): void => {
    tail.erase();
    const rest = source.slice(settled);
    if (rest.trim() !== "") printRendered(rest);
    source = "";
    settled = 0;
  };

  return {
    maxMessageLength: 100_000,
    editIntervalMs: 0,
    // Blocks already printed cannot be taken back, and the live block shows fences unclosed: as a terminal does.
    appendOnly: true,
    async post(text) {
      if (count > 0) finishMessage();
      tail.erase();
      count += 1;
      update(text);
      return { id: String(count) } satisfies PostedMessage;
    },
    async edit(message, text) {
      if (message.id === String(count)) update(text);
    },
    async showStatus(text) {
      tail.show(`(${terminalSafe(text)})`, dim);
    },
    finish() {
      finishMessage();
    },
  };
}
