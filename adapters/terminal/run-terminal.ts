// The terminal adapter: reads lines, hands them to the engine, streams answers through the shared renderer.
import { createInterface } from "node:readline/promises";
import type { TurnLifecycle } from "../../src/ops/turn-lifecycle.ts";
import { renderReply } from "../../src/render/render-reply.ts";
import type { Author, Engine } from "../../src/types.ts";
import { parseLine } from "./parse-line.ts";
import { createTerminalSurface } from "./terminal-surface.ts";

/** Runs the interactive prompt until end of input or /quit. */
export async function runTerminal(options: {
  engine: Engine;
  /** The turn lifecycle (request ids, the "turn finished" line); without it turns go straight to the engine. */
  lifecycle?: TurnLifecycle;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  author?: Author;
}): Promise<void> {
  const author = options.author ?? { id: "local-user", displayName: "You", isBot: false };
  const lines = createInterface({ input: options.input, output: options.output, terminal: false });
  options.output.write("parley — type a question, /help for commands, /quit to leave.\n> ");
  for await (const line of lines) {
    const parsed = parseLine(line, author);
    if ("quit" in parsed) break;
    if ("problem" in parsed) options.output.write(`${parsed.problem}\n`);
    if ("turn" in parsed) {
      const surface = createTerminalSurface(options.output);
      if (options.lifecycle)
        await options.lifecycle.run(parsed.turn, ({ events }) => renderReply(events, surface));
      else await renderReply(options.engine.reply(parsed.turn), surface);
      options.output.write("\n");
    }
    options.output.write("> ");
  }
  lines.close();
}
