// /settings payloads from Slack: the subcommand first, a mentioned person kept by id, DMs marked; admin lookups.
import { describe, expect, it } from "vitest";
import { ADMIN_STATUS_TTL_MS, createAdminStatus } from "../../../adapters/slack/admin-status.ts";
import { parseSlashCommand } from "../../../adapters/slack/parse-command.ts";
import { commandTurn, slackKey } from "../../../adapters/slack/turns.ts";

const payload = (text: string, channel = "C1") => ({
  command: "/settings",
  text,
  team_id: "T1",
  channel_id: channel,
  user_id: "U1",
  user_name: "ann",
});

describe("/settings from Slack", () => {
  it("reads the subcommand and its options", () => {
    expect(parseSlashCommand(payload("limit user 20,000"), "")).toMatchObject({
      subcommand: "limit",
      text: "20,000",
      options: { scope: "user" },
    });
    expect(parseSlashCommand(payload(""), "")?.subcommand).toBeUndefined();
  });

  it("keeps the id of a mentioned person (an escaped mention reads <@U…|name>)", () => {
    expect(parseSlashCommand(payload("forget <@U0GRACE|grace>"), "")?.text).toBe("U0GRACE");
    expect(parseSlashCommand(payload("forget U0GRACE"), "")?.text).toBe("U0GRACE");
    // Elsewhere a mention stays readable for the model.
    expect(parseSlashCommand({ ...payload("hello <@U0GRACE|grace>"), command: "/ask" }, "")?.text).toBe(
      "hello @grace",
    );
  });

  it("marks a command typed in a direct message", () => {
    const command = parseSlashCommand(payload("show", "D123"), "");
    if (!command) throw new Error("not parsed");
    expect(commandTurn(command, slackKey("T1", "D123", "D123")).venue).toBe("direct");
  });
});

describe("the admin lookup", () => {
  it("asks users.info once, trusts the answer for a minute, then asks again", async () => {
    let nowMs = 0;
    const answers = [
      { is_admin: false, is_owner: true },
      { is_admin: false, is_owner: false },
    ];
    let calls = 0;
    const client = {
      users: {
        info: async () => ({ ok: true, user: answers[Math.min(calls++, answers.length - 1)] }),
      },
    } as unknown as Parameters<ReturnType<typeof createAdminStatus>>[0];
    const isAdmin = createAdminStatus(() => nowMs);
    expect(await isAdmin(client, "U1")).toBe(true);
    nowMs += ADMIN_STATUS_TTL_MS - 1;
    expect(await isAdmin(client, "U1")).toBe(true);
    expect(calls).toBe(1);
    nowMs += 2;
    expect(await isAdmin(client, "U1")).toBe(false);
    expect(calls).toBe(2);
  });
});
