// Where an interactive chat's logs go: a file readable only by its owner, so no log line lands inside an answer.
import { createWriteStream, fchmodSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { Writable } from "node:stream";

/** pino's number for "warn"; errors and fatals are above it. */
const WARN_LEVEL = 40;

/** A log file that remembers whether anything worth a look was written to it. */
export interface LogFile {
  /** The stream to give the logger. */
  stream: NodeJS.WritableStream;
  /** Once, after the first warning or error: the sentence that says where to read it; otherwise undefined. */
  takeNotice(): string | undefined;
  /** Writes what is buffered and closes the file. */
  close(): Promise<void>;
}

/** Opens `path` for appending (creating it and its folder), mode 0600 even if it existed with a wider one. */
export function openLogFile(path: string, shownAs = path): LogFile {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const descriptor = openSync(path, "a", 0o600);
  fchmodSync(descriptor, 0o600);
  const file = createWriteStream(path, { fd: descriptor });
  let worthALook = false;
  let told = false;
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      const line = chunk.toString();
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level !== undefined && Number(level) >= WARN_LEVEL) worthALook = true;
      file.write(line, done);
    },
  });
  return {
    stream,
    takeNotice() {
      if (!worthALook || told) return undefined;
      told = true;
      return `parley logged a warning or an error; details are in ${shownAs}.`;
    },
    close: () =>
      new Promise((resolve) => {
        stream.end(() => file.end(() => resolve()));
      }),
  };
}
