// The progress line on stderr: rewritten in place on a terminal, plain lines (at most one a second) otherwise.

/** Shows what the bench is doing now. */
export interface Progress {
  update(text: string): void;
  /** Ends the line (on a terminal) so what follows starts clean. */
  done(): void;
}

const PLAIN_LINE_INTERVAL_MS = 1000;

/** A progress line on `stream` (process.stderr by default). */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const interactive = stream.isTTY === true;
  let lastText = "";
  let lastPlainAtMs = 0;
  let shownWidth = 0;
  return {
    update(text) {
      if (text === lastText) return;
      lastText = text;
      if (interactive) {
        const line = text.slice(0, Math.max(20, (stream.columns ?? 100) - 1));
        stream.write(`\r${line.padEnd(shownWidth)}`);
        shownWidth = line.length;
        return;
      }
      const nowMs = Date.now();
      if (nowMs - lastPlainAtMs < PLAIN_LINE_INTERVAL_MS) return;
      lastPlainAtMs = nowMs;
      stream.write(`${text}\n`);
    },
    done() {
      if (interactive && shownWidth > 0) stream.write(`\r${"".padEnd(shownWidth)}\r`);
      shownWidth = 0;
    },
  };
}
