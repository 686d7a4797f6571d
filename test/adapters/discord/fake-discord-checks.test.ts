// The fake Discord's own checks must be able to fail: invalid bodies, over-long content and pings are caught.
import { expect, test } from "vitest";
import { loadDiscordSpec } from "../../support/fake-discord-spec.ts";
import { fenceCount, pingsOf } from "../../support/fake-discord-state.ts";

test("the spec check catches a 2500-character message and a bad allowed_mentions", () => {
  const spec = loadDiscordSpec();
  expect(
    spec.check("POST", "/channels/1/messages", { content: "ok", allowed_mentions: { parse: [] } }),
  ).toEqual([]);
  expect(spec.check("POST", "/webhooks/1/token", { content: "x".repeat(2500) }).join()).toMatch(
    /2500 characters/,
  );
  expect(spec.check("POST", "/channels/1/messages", { allowed_mentions: { parse: ["people"] } })).not.toEqual(
    [],
  );
  expect(spec.check("POST", "/channels/1/messages/2/threads", { name: "n".repeat(101) })).not.toEqual([]);
  expect(spec.check("POST", "/channels/1/nonsense", {})).not.toEqual([]);
});

test("pings follow Discord's allowed_mentions rules", () => {
  const content = "@everyone <@&42> <@7>";
  expect(pingsOf(content, {})).toEqual(["@everyone", "role:42", "user:7"]);
  expect(pingsOf(content, { allowed_mentions: { parse: [] } })).toEqual([]);
  expect(pingsOf("hi", {}, "9")).toEqual(["user:9"]);
  expect(pingsOf("hi", { allowed_mentions: { parse: [], replied_user: false } }, "9")).toEqual([]);
});

test("fence counting sees an unclosed block", () => {
  expect(fenceCount("```ts\ncode\n```")).toBe(2);
  expect(fenceCount("```ts\ncode")).toBe(1);
});
