// The terminal's user runs parley: /settings changes the channel there without an admin list; limits still apply.
import { PassThrough, Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { runTerminal } from "../../../adapters/terminal/run-terminal.ts";
import { type EngineHarness, startEngineHarness } from "../../support/engine-harness.ts";

let harness: EngineHarness;
afterEach(async () => {
  await harness?.close();
});

/** Types the lines into the terminal adapter on the harness's core; resolves with everything printed. */
async function chat(lines: string[]): Promise<string> {
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk) => {
    printed += chunk;
  });
  await runTerminal({
    engine: harness.parley.engine,
    lifecycle: harness.parley.operations.lifecycle,
    input: Readable.from(lines.map((line) => `${line}\n`)),
    output,
  });
  return printed;
}

describe("admin controls in the terminal", () => {
  it("lets the local user set the prompt, shows it, and refuses turns over a limit", async () => {
    harness = await startEngineHarness({
      env: { LIMIT_USER_TURNS_PER_MINUTE: "1", ALLOW_CHANNELS: "C-somewhere-else", ALLOW_DMS: "false" },
    });
    const printed = await chat([
      "/settings prompt You are a poet.",
      "hello",
      "/settings show",
      "hello again",
      "/quit",
    ]);
    expect(printed).toContain("now use this system prompt:\n> You are a poet.");
    expect(harness.fake.chatRequests()[0]?.messages[0]).toEqual({
      role: "system",
      content: "You are a poet.",
    });
    expect(printed).toContain("• **Per person**: 1 question a minute");
    expect(printed).toContain("Your limit of 1 question a minute is reached (1 in the last minute)");
    expect(harness.fake.chatRequests()).toHaveLength(1);
  });
});
