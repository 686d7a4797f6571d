// The terminal adapter at a keyboard: line editing and history, Ctrl-C to stop an answer, answers rendered.
import { createInterface } from "node:readline";
import type { TurnLifecycle } from "../../src/ops/turn-lifecycle.ts";
import { renderReply } from "../../src/render/render-reply.ts";
import type { Author, Engine, Turn } from "../../src/types.ts";
import { openKeyboard, PASTED_LINE_BREAK } from "./keyboard.ts";
import { HISTORY_MAX_ENTRIES, type LineHistory } from "./line-history.ts";
import { parseLine } from "./parse-line.ts";
import { createTtySurface } from "./tty-surface.ts";

/** Said when Ctrl-C is pressed once at an empty prompt. */
export const LEAVE_HINT = "(To leave, press Ctrl-C again, or Ctrl-D, or type /quit.)";
const PROMPT = "> ";

const dim = (text: string): string => `\x1b[2m${text}\x1b[22m`;

/** Runs the prompt on a TTY until /quit, Ctrl-D or Ctrl-C twice. */
export async function runInteractive(options: {
  engine: Engine;
  lifecycle?: TurnLifecycle;
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
  history: LineHistory;
  /** A sentence to show once between answers (where the log file is, after a warning), if there is one. */
  notice?: () => string | undefined;
  author?: Author;
}): Promise<void> {
  const { output, history } = options;
  const author = options.author ?? { id: "local-user", displayName: "You", isBot: false };
  const keyboard = openKeyboard(options.input, output);
  const lines = createInterface({
    input: keyboard.keys,
    output,
    terminal: true,
    prompt: PROMPT,
    history: [...history.entries],
    historySize: HISTORY_MAX_ENTRIES,
    removeHistoryDuplicates: true,
  });
  lines.on("history", (entries: string[]) => history.save(entries));
  // Two Ctrl-C in a row leave: one that stopped an answer, or one at an empty prompt, then one more.
  let lastKeyWasCtrlC = false;
  keyboard.keys.on(
    "keypress",
    (_typed: string | undefined, key: { ctrl?: boolean; name?: string } | undefined) => {
      if (!(key?.ctrl && key.name === "c")) lastKeyWasCtrlC = false;
    },
  );
  lines.on("SIGINT", () => {
    if (lines.line !== "") {
      // Like a shell: Ctrl-C drops what is typed.
      lines.write(null, { ctrl: true, name: "e" });
      lines.write(null, { ctrl: true, name: "u" });
      lastKeyWasCtrlC = false;
      return;
    }
    if (lastKeyWasCtrlC) {
      lines.close();
      return;
    }
    lastKeyWasCtrlC = true;
    output.write(`\n${dim(LEAVE_HINT)}\n`);
    lines.prompt();
  });

  const showNotice = (): void => {
    const notice = options.notice?.();
    if (notice) output.write(`${dim(`(${notice})`)}\n`);
  };

  const answer = async (turn: Turn): Promise<void> => {
    const stop = new AbortController();
    keyboard.busy(() => {
      lastKeyWasCtrlC = true;
      stop.abort();
    });
    const surface = createTtySurface(output);
    const stoppable: Turn = { ...turn, signal: stop.signal };
    if (options.lifecycle)
      await options.lifecycle.run(stoppable, ({ events }) => renderReply(events, surface));
    else await renderReply(options.engine.reply(stoppable), surface);
    surface.finish();
  };

  output.write("parley — ask away. /help lists commands, Ctrl-C stops an answer, /quit leaves.\n");
  showNotice();
  lines.prompt();
  try {
    for await (const typed of lines) {
      const parsed = parseLine(typed.replaceAll(PASTED_LINE_BREAK, "\n"), author);
      if ("quit" in parsed) break;
      if ("problem" in parsed) output.write(`${parsed.problem}\n`);
      if ("turn" in parsed) await answer(parsed.turn);
      showNotice();
      lines.prompt();
      keyboard.idle();
    }
  } finally {
    lines.close();
    keyboard.close();
    output.write("\n");
    await history.flush();
  }
}
