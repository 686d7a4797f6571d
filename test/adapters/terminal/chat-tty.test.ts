// `npm run chat` at a keyboard: a real process on a pseudo-terminal, typed at as a user would, against the fake API.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeAimlApi, startFakeAimlApi } from "../../support/fake-aimlapi.ts";
import { KEYS, type PtyProcess, startPtyProcess } from "../../support/pty-process.ts";

const MAIN = new URL("../../../adapters/terminal/main.ts", import.meta.url).pathname;
/** The screen ends at an empty prompt: parley waits for the next line. */
const AT_PROMPT = /\n>$/;

let fake: FakeAimlApi;
let directory: string;
const running: PtyProcess[] = [];

beforeEach(async () => {
  fake = await startFakeAimlApi();
  directory = mkdtempSync(join(tmpdir(), "parley-tty-"));
});
afterEach(async () => {
  for (const chat of running.splice(0)) chat.kill();
  await fake.close();
  rmSync(directory, { recursive: true, force: true });
});

/** Starts `npm run chat` on a terminal in the test's folder and waits for its first prompt. */
async function startChat(): Promise<PtyProcess> {
  const chat = startPtyProcess({
    command: [process.execPath, MAIN],
    cwd: directory,
    env: {
      AIML_API_KEY: "test-key-123456",
      AIML_BASE_URL: fake.url,
      STORE_URL: `sqlite://${join(directory, "chat.sqlite")}`,
    },
  });
  running.push(chat);
  await chat.waitFor(AT_PROMPT);
  return chat;
}

/** Types a line and waits until parley is back at the prompt; resolves with what appeared meanwhile. */
async function ask(chat: PtyProcess, keys: string): Promise<string> {
  const before = chat.screen().length;
  chat.type(keys);
  const after = await chat.waitFor(AT_PROMPT, { after: before + 1 });
  return chat.screen().slice(before, after);
}

/** The text of the last user message of each chat request the provider received. */
const askedTexts = () =>
  fake.chatRequests().map((body) => {
    const last = body.messages.at(-1)?.content;
    return typeof last === "string" ? last : JSON.stringify(last);
  });

describe("npm run chat on a terminal", () => {
  it("edits the line with the arrow keys and recalls earlier lines with ↑, after a restart too", async () => {
    const chat = await startChat();
    await ask(chat, `helo${KEYS.left}l${KEYS.enter}`);
    expect(askedTexts()).toEqual(["You: hello"]);
    await ask(chat, `${KEYS.up} again${KEYS.enter}`);
    expect(askedTexts()).toEqual(["You: hello", "You: hello again"]);
    // Ctrl-C drops what is typed, as in a shell, and does not count towards leaving.
    chat.type("never mind");
    await chat.waitFor(/\n> never mind$/);
    chat.type(KEYS.ctrlC);
    await chat.waitFor(AT_PROMPT);
    chat.type(KEYS.ctrlC);
    await chat.waitFor("(To leave, press Ctrl-C again");
    await ask(chat, `fresh${KEYS.enter}`);
    expect(askedTexts()).toEqual(["You: hello", "You: hello again", "You: fresh"]);
    chat.type(KEYS.ctrlD);
    expect(await chat.exited()).toBe(0);

    const historyFile = join(directory, "data/chat-history");
    expect(readFileSync(historyFile, "utf8")).toBe("hello\nhello again\nfresh\n");
    expect(statSync(historyFile).mode & 0o777).toBe(0o600);

    const again = await startChat();
    await ask(again, `${KEYS.up}${KEYS.up}${KEYS.enter}`);
    expect(askedTexts().at(-1)).toBe("You: hello again");
    again.type(`/quit${KEYS.enter}`);
    expect(await again.exited()).toBe(0);
  }, 40_000);

  it("takes a 10,000-character paste whole and refuses it with the 8,000 rule, sending nothing", async () => {
    const chat = await startChat();
    const refusal = "That prompt is 10,000 characters; the limit is 8,000.";
    expect(await ask(chat, `${KEYS.paste("x".repeat(10_000))}${KEYS.enter}`)).toContain(refusal);
    // Typed rather than pasted (no 4,095-character line limit at a keyboard either).
    expect(await ask(chat, `${"y".repeat(10_000)}${KEYS.enter}`)).toContain(refusal);
    expect(fake.chatRequests()).toHaveLength(0);

    // A pasted text with line breaks is one question, its line breaks kept.
    await ask(chat, `${KEYS.paste("first line\nsecond line\n")}${KEYS.enter}`);
    expect(askedTexts()).toEqual(["You: first line\nsecond line"]);

    // Options are checked before anything is sent.
    expect(await ask(chat, `/reason extreme why is the sky blue${KEYS.enter}`)).toContain(
      'effort must be low, medium or high, not "extreme".',
    );
    expect(fake.chatRequests()).toHaveLength(1);
    chat.type(`/quit${KEYS.enter}`);
    expect(await chat.exited()).toBe(0);
  }, 40_000);

  it("stops a slow answer on Ctrl-C, keeps its text and keeps running; Ctrl-C twice leaves with 0", async () => {
    fake.enqueue({
      text: "One. Two. Three. Four. Five. Six. Seven. Eight. Nine. Ten.",
      chunkSize: 5,
      chunkDelayMs: 300,
    });
    const chat = await startChat();
    const before = chat.screen().length;
    chat.type(`count slowly${KEYS.enter}`);
    await chat.waitFor("Two.", { after: before });
    chat.type(KEYS.ctrlC);
    const end = await chat.waitFor(AT_PROMPT, { after: before + 1 });
    const stopped = chat.screen().slice(before, end);
    expect(stopped).toContain("Stopped before it was finished.");
    expect(stopped).toContain("One. Two.");
    expect(stopped).not.toContain("Ten.");
    await expect.poll(() => fake.requests.at(-1)?.closedByClient).toBe(true);

    // Still running, and the next question carries the stopped answer in its history.
    await ask(chat, `go on${KEYS.enter}`);
    const history = JSON.stringify(fake.chatRequests()[1]?.messages);
    expect(history).toContain("One. Two.");
    expect(history).toContain("Stopped here before it was finished.");

    // Once at the prompt: a hint; twice: goodbye, store closed, exit code 0.
    chat.type(KEYS.ctrlC);
    await chat.waitFor("(To leave, press Ctrl-C again, or Ctrl-D, or type /quit.)");
    chat.type(KEYS.ctrlC);
    expect(await chat.exited()).toBe(0);
  }, 40_000);

  it("leaves at once on the Ctrl-C that follows a stop", async () => {
    fake.enqueue({ text: "Slowly, slowly, slowly, slowly, slowly.", chunkSize: 3, chunkDelayMs: 300 });
    const chat = await startChat();
    const before = chat.screen().length;
    chat.type(`take your time${KEYS.enter}`);
    await chat.waitFor("Slo", { after: before });
    chat.type(KEYS.ctrlC);
    await chat.waitFor(AT_PROMPT, { after: before + 1 });
    chat.type(KEYS.ctrlC);
    expect(await chat.exited()).toBe(0);
  }, 30_000);

  it("renders Markdown (bold, code, lists, links) and shows each answer once on the screen", async () => {
    fake.enqueue({
      text: "Use **bold** here.\n\n- first `item`\n- second\n\n```js\nconst answer = 42;\n```\n\nRead [the docs](https://example.com/docs).",
      chunkSize: 3,
      chunkDelayMs: 5,
    });
    const chat = await startChat();
    const shown = await ask(chat, `show me markdown${KEYS.enter}`);
    expect(chat.output()).toContain("\x1b[1mbold\x1b[22m");
    expect(shown).toContain("Use bold here.");
    expect(shown).toContain("const answer = 42;");
    expect(shown).toContain("the docs (https://example.com/docs)");
    expect(shown).not.toContain("**");
    expect(shown).not.toContain("```");
    expect(chat.screen().match(/Use bold here\./g)).toHaveLength(1);
    expect(chat.screen().match(/const answer = 42;/g)).toHaveLength(1);
    chat.type(`/quit${KEYS.enter}`);
    expect(await chat.exited()).toBe(0);
  }, 30_000);

  it("writes logs to data/chat.log, never between answers, and says once where they are", async () => {
    fake.enqueue(
      { error: { status: 401, message: "This request requires a valid API key" } },
      { error: { status: 401, message: "This request requires a valid API key" } },
    );
    const chat = await startChat();
    const first = await ask(chat, `will this fail${KEYS.enter}`);
    expect(first).toContain("⚠️");
    expect(first).toContain("parley logged a warning or an error; details are in data/chat.log.");
    const second = await ask(chat, `and this${KEYS.enter}`);
    expect(second).not.toContain("data/chat.log");
    chat.type(`/help${KEYS.enter}`);
    await chat.waitFor("/quit");
    chat.type(`/quit${KEYS.enter}`);
    expect(await chat.exited()).toBe(0);

    expect(chat.output()).not.toMatch(/"level":|"msg":/);
    const logFile = join(directory, "data/chat.log");
    expect(readFileSync(logFile, "utf8")).toContain('"msg":"turn failed"');
    expect(readFileSync(logFile, "utf8")).not.toContain("test-key-123456");
    expect(statSync(logFile).mode & 0o777).toBe(0o600);
  }, 30_000);
});
