// The keyboard in raw mode: pastes arrive as one line, Ctrl-C during an answer stops it, keys typed meanwhile wait.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { openKeyboard, PASTED_LINE_BREAK } from "../../../adapters/terminal/keyboard.ts";

/** A keyboard on fake streams; `received()` is what readline would have read so far. */
function fakeKeyboard() {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk) => {
    printed += chunk;
  });
  const keyboard = openKeyboard(
    input as unknown as NodeJS.ReadStream,
    output as unknown as NodeJS.WriteStream,
  );
  let received = "";
  keyboard.keys.on("data", (chunk) => {
    received += chunk;
  });
  const press = async (keys: string) => {
    input.write(keys);
    await new Promise((resolve) => setTimeout(resolve, 5));
  };
  return { keyboard, press, received: () => received, printed: () => printed };
}

describe("the keyboard", () => {
  it("turns bracketed paste on, and off again when closed", () => {
    const { keyboard, printed } = fakeKeyboard();
    expect(printed()).toBe("\x1b[?2004h");
    keyboard.close();
    expect(printed()).toBe("\x1b[?2004h\x1b[?2004l");
  });

  it("folds a paste's line breaks into one line and drops control keys inside it", async () => {
    const { press, received } = fakeKeyboard();
    await press("ab\x1b[200~one\r\ntwo\nthree\x1b[A\x1b[201~c");
    expect(received()).toBe(`abone${PASTED_LINE_BREAK}two${PASTED_LINE_BREAK}three[Ac`);
  });

  it("finds paste markers cut between two reads, and lets a lone Escape through after a moment", async () => {
    const { press, received } = fakeKeyboard();
    await press("x\x1b[20");
    expect(received()).toBe("x");
    await press("0~a\nb\x1b[2");
    await press("01~\r");
    expect(received()).toBe(`xa${PASTED_LINE_BREAK}b\r`);
    await press("\x1b");
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(received()).toBe(`xa${PASTED_LINE_BREAK}b\r\x1b`);
  });

  it("while busy: Ctrl-C interrupts, other keys (pasted Ctrl-C too) wait for the prompt", async () => {
    const { keyboard, press, received } = fakeKeyboard();
    let interrupts = 0;
    keyboard.busy(() => {
      interrupts += 1;
    });
    await press("next question");
    await press("\x03");
    await press("\x1b[200~pasted\x03\x1b[201~\r");
    expect(interrupts).toBe(1);
    expect(received()).toBe("");
    keyboard.idle();
    await press("");
    expect(received()).toBe("next questionpasted\r");
    await press("\x03");
    expect(interrupts).toBe(1);
    expect(received()).toBe("next questionpasted\r\x03");
  });
});
