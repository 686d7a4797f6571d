// The terminal's keys in raw mode: a paste arrives as one line, and while an answer is written Ctrl-C stops it.
import { PassThrough } from "node:stream";

/** Stands for a line break inside a pasted text on the prompt line; the line is sent with real line breaks. */
export const PASTED_LINE_BREAK = "⏎";

/** The terminal wraps what is pasted in these (bracketed paste mode), so it is not read as typed Enter keys. */
const PASTE_START = "\x1b[200~";
const PASTE_END = "\x1b[201~";
const BRACKETED_PASTE_ON = "\x1b[?2004h";
const BRACKETED_PASTE_OFF = "\x1b[?2004l";
const CTRL_C = "\x03";
/** How long the start of a possible paste marker is held back for the rest of it. */
const MARKER_WAIT_MS = 30;

/** The keyboard of an interactive terminal. */
export interface Keyboard {
  /** What readline reads: the keys, pastes folded into one line, and nothing while an answer is written. */
  readonly keys: NodeJS.ReadableStream & { isTTY: true; setRawMode(mode: boolean): void };
  /** An answer is being written: Ctrl-C calls `onInterrupt`; other keys wait until `idle()`. */
  busy(onInterrupt: () => void): void;
  /** The prompt is back: the keys typed meanwhile go to it. */
  idle(): void;
  /** Gives the terminal back as it was (cooked mode, no bracketed paste) and stops reading it. */
  close(): void;
}

/** Takes over a TTY's input in raw mode and turns bracketed paste on. */
export function openKeyboard(input: NodeJS.ReadStream, output: NodeJS.WriteStream): Keyboard {
  const keys = Object.assign(new PassThrough({ encoding: "utf8" }), {
    isTTY: true as const,
    // readline turns raw mode off when it closes, and off and on around Ctrl-Z: let it reach the real terminal.
    setRawMode: (mode: boolean) => {
      if (input.isTTY) input.setRawMode(mode);
    },
  });
  let onInterrupt: (() => void) | undefined;
  let typedAhead = "";
  let pasting = false;
  let heldBack = "";
  let heldTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const deliver = (text: string): void => {
    if (text === "") return;
    if (onInterrupt === undefined) {
      keys.write(text);
      return;
    }
    // While an answer is written, Ctrl-C (typed, not pasted) stops it; anything else waits for the prompt.
    const parts = text.split(CTRL_C);
    typedAhead += parts.join("");
    if (parts.length > 1) onInterrupt();
  };

  /** Pasted text: its line breaks become one visible mark, and no control key hides inside it. */
  const foldPaste = (text: string): string =>
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed here.
    text.replace(/\r\n|\r|\n/g, PASTED_LINE_BREAK).replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "");

  const read = (text: string): void => {
    let rest = heldBack + text;
    heldBack = "";
    clearTimeout(heldTimer);
    while (rest !== "") {
      const marker = pasting ? PASTE_END : PASTE_START;
      const at = rest.indexOf(marker);
      if (at >= 0) {
        const before = rest.slice(0, at);
        if (pasting) keysOrTypeahead(foldPaste(before));
        else deliver(before);
        pasting = !pasting;
        rest = rest.slice(at + marker.length);
        continue;
      }
      // A marker may be cut between two reads: hold back what could be its start, briefly.
      const partial = partialMarkerAtEnd(rest, marker);
      const complete = rest.slice(0, rest.length - partial.length);
      if (pasting) keysOrTypeahead(foldPaste(complete));
      else deliver(complete);
      heldBack = partial;
      rest = "";
    }
    if (heldBack !== "") {
      heldTimer = setTimeout(() => {
        const held = heldBack;
        heldBack = "";
        if (pasting) keysOrTypeahead(foldPaste(held));
        else deliver(held);
      }, MARKER_WAIT_MS);
    }
  };

  /** Pasted text goes where typed text would, but never counts as Ctrl-C. */
  const keysOrTypeahead = (text: string): void => {
    if (onInterrupt === undefined) keys.write(text);
    else typedAhead += text;
  };

  const onData = (chunk: Buffer | string): void => read(chunk.toString());
  input.setEncoding("utf8");
  input.on("data", onData);
  if (input.isTTY) input.setRawMode(true);
  output.write(BRACKETED_PASTE_ON);

  return {
    keys,
    busy(interrupt) {
      onInterrupt = interrupt;
    },
    idle() {
      onInterrupt = undefined;
      const waiting = typedAhead;
      typedAhead = "";
      if (waiting !== "") keys.write(waiting);
    },
    close() {
      if (closed) return;
      closed = true;
      clearTimeout(heldTimer);
      input.off("data", onData);
      if (input.isTTY) input.setRawMode(false);
      input.pause();
      output.write(BRACKETED_PASTE_OFF);
      keys.end();
    },
  };
}

/** The longest end of `text` that is the start of `marker` (and not all of it). */
function partialMarkerAtEnd(text: string, marker: string): string {
  for (let length = Math.min(marker.length - 1, text.length); length > 0; length--) {
    if (marker.startsWith(text.slice(text.length - length))) return text.slice(text.length - length);
  }
  return "";
}
