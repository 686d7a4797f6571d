// /settings interactions: the subcommand and its nested options, the member's roles and admin permission, DMs.
import { describe, expect, test } from "vitest";
import {
  focusedOption,
  hasAdminPermission,
  parseCommandInteraction,
  planMessage,
} from "../../../adapters/discord/parse.ts";
import type { CommandInteractionPayload } from "../../../adapters/discord/payloads.ts";
import { askInChannel, BOT_ID, mentionMessage, TEXT_CHANNEL_ID } from "./fixtures/payloads.ts";

/** Discord's permission bits (as decimal strings): View Channel + Send Messages, and with Manage Server. */
const MEMBER = String((1n << 10n) | (1n << 11n));
const MANAGER = String((1n << 10n) | (1n << 11n) | (1n << 5n));
const ADMINISTRATOR = String(1n << 3n);

const settings = (
  subcommand: { name: string; options?: { name: string; type: number; value: string; focused?: boolean }[] },
  permissions = MEMBER,
): CommandInteractionPayload => ({
  ...askInChannel,
  member: { ...askInChannel.member, roles: ["1700000000000000001"], permissions },
  data: {
    name: "settings",
    type: 1,
    options: [{ name: subcommand.name, type: 1, options: subcommand.options ?? [] }],
  },
});

describe("/settings interactions", () => {
  test("take the subcommand, its main option as the text and the others as options", () => {
    const turn = parseCommandInteraction(
      settings({
        name: "model",
        options: [
          { name: "command", type: 3, value: "search" },
          { name: "model", type: 3, value: "perplexity/sonar" },
        ],
      }),
      "",
    );
    expect(turn).toMatchObject({
      kind: "settings",
      subcommand: "model",
      text: "perplexity/sonar",
      options: { command: "search" },
      author: { id: "1400000000000000001", roles: ["1700000000000000001"] },
    });
    expect(parseCommandInteraction(settings({ name: "show" }), "")).toMatchObject({
      subcommand: "show",
      text: "",
    });
    // A member picker sends the chosen user's id.
    const forget = parseCommandInteraction(
      settings({ name: "forget", options: [{ name: "user", type: 6, value: "1400000000000000002" }] }),
      "",
    );
    expect(forget).toMatchObject({ subcommand: "forget", text: "1400000000000000002" });
  });

  test("make Manage Server and Administrator admins, from the interaction's member permissions", async () => {
    expect(hasAdminPermission(MEMBER)).toBe(false);
    expect(hasAdminPermission(MANAGER)).toBe(true);
    expect(hasAdminPermission(ADMINISTRATOR)).toBe(true);
    expect(hasAdminPermission("not a number")).toBe(false);
    expect(
      await parseCommandInteraction(settings({ name: "show" }, MANAGER), "")?.author.isPlatformAdmin?.(),
    ).toBe(true);
    expect(await parseCommandInteraction(settings({ name: "show" }), "")?.author.isPlatformAdmin?.()).toBe(
      false,
    );
  });

  test("find the focused option inside the subcommand, for model autocomplete", () => {
    const typing = settings({
      name: "model",
      options: [
        { name: "command", type: 3, value: "ask" },
        { name: "model", type: 3, value: "mini", focused: true },
      ],
    });
    expect(focusedOption({ ...typing, type: 4 })).toEqual({
      name: "model",
      typed: "mini",
      subcommand: "model",
    });
  });

  test("mark direct messages, and carry a guild member's roles on messages", () => {
    const { guild_id: _guild, member: _member, ...inDm } = askInChannel;
    expect(parseCommandInteraction({ ...inDm, user: askInChannel.member?.user }, "")?.venue).toBe("direct");
    expect(parseCommandInteraction(askInChannel, "")?.venue).toBeUndefined();
    const dm = planMessage(mentionMessage({ guild_id: undefined, member: undefined }), { botUserId: BOT_ID });
    expect(dm.action !== "ignore" && dm.turn.venue).toBe("direct");
    const inGuild = planMessage(mentionMessage({ member: { nick: null, roles: ["1700000000000000009"] } }), {
      botUserId: BOT_ID,
      channel: { id: TEXT_CHANNEL_ID, type: 0 },
    });
    expect(inGuild.action !== "ignore" && inGuild.turn.author.roles).toEqual(["1700000000000000009"]);
  });
});
