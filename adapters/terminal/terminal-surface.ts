// The renderer's surface on a terminal: posts print, edits print only what was added.
import type { PostedMessage, ReplySurface } from "../../src/render/surface.ts";

/** A surface writing to a stream; text only grows while streaming, so edits append. */
export function createTerminalSurface(output: NodeJS.WritableStream): ReplySurface {
  const printed = new Map<string, string>();
  let count = 0;
  return {
    maxMessageLength: 100_000,
    editIntervalMs: 0,
    appendOnly: true,
    async post(text) {
      count += 1;
      const message: PostedMessage = { id: String(count) };
      output.write(count > 1 ? `\n${text}` : text);
      printed.set(message.id, text);
      return message;
    },
    async edit(message, text) {
      const before = printed.get(message.id) ?? "";
      // A terminal cannot take text back: print what is new, or the whole message again if it changed.
      output.write(text.startsWith(before) ? text.slice(before.length) : `\n${text}`);
      printed.set(message.id, text);
    },
    async showStatus(text) {
      output.write(`(${text})\n`);
    },
  };
}
