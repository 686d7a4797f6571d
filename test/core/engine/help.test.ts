// /help lists every command and says how to talk to parley on the surface the question came from.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../../src/commands.ts";
import { type EngineHarness, startEngineHarness } from "../../support/engine-harness.ts";

let harness: EngineHarness;
beforeAll(async () => {
  harness = await startEngineHarness();
});
afterAll(async () => {
  await harness.close();
});

const help = async (platform: string) => {
  const key = { platform, workspace: "W1", channel: "C1", thread: "C1" };
  const outcome = await harness.run({ kind: "help", text: "", key });
  return outcome.result?.text ?? "";
};

describe("/help", () => {
  it("on a chat platform, lists the commands and explains mentions and threads", async () => {
    const text = await help("discord");
    for (const command of COMMANDS) expect(text).toContain(`\`/${command.name}`);
    expect(text).toContain("Mention me to start a thread");
    expect(text).not.toContain("/quit");
  });

  it("in the terminal, tells how to stop an answer and how to leave, and nothing of mentions or threads", async () => {
    const text = await help("terminal");
    for (const command of COMMANDS) expect(text).toContain(`\`/${command.name}`);
    expect(text).toContain("Ctrl-C stops an answer in progress");
    expect(text).toContain("`/quit`, Ctrl-D or Ctrl-C twice leaves");
    expect(text).not.toMatch(/mention|thread/i);
    expect(harness.fake.chatRequests()).toHaveLength(0);
  });
});
