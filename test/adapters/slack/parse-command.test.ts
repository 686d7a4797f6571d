// Slash-command payloads → commands with options taken as the registry declares them.
import { describe, expect, it } from "vitest";
import { parseSlashCommand } from "../../../adapters/slack/parse-command.ts";

describe("parseSlashCommand", () => {
  const payload = {
    command: "/ask",
    text: "what is &lt;html&gt;?",
    team_id: "T1",
    channel_id: "C1",
    user_id: "U1",
    user_name: "ann",
    response_url: "https://hooks.slack.com/commands/x",
  };

  it("reads a payload", () => {
    expect(parseSlashCommand(payload, "")).toMatchObject({
      text: "what is <html>?",
      teamId: "T1",
      channel: "C1",
      userId: "U1",
      userName: "ann",
      responseUrl: "https://hooks.slack.com/commands/x",
      threadTs: undefined,
    });
    expect(parseSlashCommand({ ...payload, thread_ts: "1.2" }, "")?.threadTs).toBe("1.2");
  });

  it("refuses commands it does not own and incomplete payloads", () => {
    expect(parseSlashCommand({ ...payload, command: "/deploy" }, "")).toBeUndefined();
    expect(parseSlashCommand({ ...payload, channel_id: undefined }, "")).toBeUndefined();
    expect(parseSlashCommand("nope", "")).toBeUndefined();
  });
});
