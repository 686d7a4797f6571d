// A logger whose JSON lines a test can read back.
import { Writable } from "node:stream";
import { createLogger, type Logger } from "../../src/logger.ts";

/** A debug-level logger writing into `lines`, scrubbing `secrets`. */
export function recordingLogger(secrets: string[] = []): {
  logger: Logger;
  lines: string[];
  records(): Record<string, unknown>[];
} {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return {
    logger: createLogger("debug", stream, secrets),
    lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
