// The allow-lists: where and for whom parley answers, checked before anything else, on every kind of turn.
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.ts";
import {
  CHANNEL_NOT_ALLOWED,
  checkAccess,
  DIRECT_MESSAGES_NOT_ALLOWED,
  USER_NOT_ALLOWED,
} from "../../../src/policy/access.ts";
import type { Turn } from "../../../src/types.ts";
import { type EngineHarness, startEngineHarness, TEST_KEY } from "../../support/engine-harness.ts";

const policyWith = (env: Record<string, string>) => loadConfig({ AIML_API_KEY: "k", ...env }).policy;

const turn = (overrides: Partial<Turn> = {}): Turn => ({
  key: { platform: "discord", workspace: "G1", channel: "C1", thread: "T1" },
  author: { id: "U1", displayName: "Ada", isBot: false },
  kind: "mention",
  text: "hi",
  ...overrides,
});

describe("checkAccess", () => {
  it("lets everything through when no list is set", () => {
    expect(checkAccess(turn(), policyWith({}))).toEqual({ allowed: true });
    expect(checkAccess(turn({ venue: "direct" }), policyWith({}))).toEqual({ allowed: true });
  });

  it("answers only in ALLOW_CHANNELS; a thread follows its parent; entries may name the platform", () => {
    const policy = policyWith({ ALLOW_CHANNELS: "C1,slack:C5" });
    expect(checkAccess(turn(), policy)).toEqual({ allowed: true });
    expect(checkAccess(turn({ key: { ...turn().key, channel: "C2", thread: "C1" } }), policy)).toEqual({
      allowed: false,
      message: CHANNEL_NOT_ALLOWED,
    });
    expect(checkAccess(turn({ key: { ...turn().key, channel: "C5" } }), policy).allowed).toBe(false);
    expect(
      checkAccess(turn({ key: { ...turn().key, platform: "slack", channel: "C5" } }), policy).allowed,
    ).toBe(true);
    // Direct messages are governed by ALLOW_DMS, not by the channel list.
    expect(
      checkAccess(turn({ venue: "direct", key: { ...turn().key, channel: "D9" } }), policy).allowed,
    ).toBe(true);
  });

  it("refuses direct messages when ALLOW_DMS is off", () => {
    expect(checkAccess(turn({ venue: "direct" }), policyWith({ ALLOW_DMS: "false" }))).toEqual({
      allowed: false,
      message: DIRECT_MESSAGES_NOT_ALLOWED,
    });
  });

  it("answers only ALLOW_USERS and members of ALLOW_ROLES; ADMIN_USERS always pass", () => {
    const policy = policyWith({ ALLOW_USERS: "U7", ALLOW_ROLES: "R1", ADMIN_USERS: "discord:U9" });
    expect(checkAccess(turn(), policy)).toEqual({ allowed: false, message: USER_NOT_ALLOWED });
    expect(checkAccess(turn({ author: { ...turn().author, id: "U7" } }), policy).allowed).toBe(true);
    expect(checkAccess(turn({ author: { ...turn().author, roles: ["R0", "R1"] } }), policy).allowed).toBe(
      true,
    );
    expect(checkAccess(turn({ author: { ...turn().author, id: "U9" } }), policy).allowed).toBe(true);
    // A role list alone closes places without roles (Slack, DMs) to all but the listed users.
    expect(checkAccess(turn({ venue: "direct" }), policyWith({ ALLOW_ROLES: "R1" })).allowed).toBe(false);
  });

  it("never restricts the console, the operator's own", () => {
    const policy = policyWith({ ALLOW_CHANNELS: "C9", ALLOW_USERS: "U9", ALLOW_DMS: "false" });
    expect(checkAccess(turn({ venue: "console" }), policy)).toEqual({ allowed: true });
  });
});

describe("the engine refuses turns outside the lists", () => {
  let harness: EngineHarness;
  afterEach(async () => {
    await harness?.close();
  });

  it("with one private sentence and no provider request, for questions and commands alike", async () => {
    harness = await startEngineHarness({ env: { ALLOW_CHANNELS: "C-allowed" } });
    for (const kind of ["ask", "mention", "usage", "help"] as const) {
      const refused = await harness.run({ kind, text: "hello" });
      expect(refused.error?.error.code, kind).toBe("access_denied");
      expect(refused.error?.error.userMessage).toBe(CHANNEL_NOT_ALLOWED);
    }
    expect(harness.fake.chatRequests()).toHaveLength(0);
    const allowed = await harness.run({ text: "hello", key: { ...TEST_KEY, channel: "C-allowed" } });
    expect(allowed.result?.text).toBe("Echo: Ada: hello");
    expect(harness.parley.engine.access({ ...turn(), key: TEST_KEY })).toEqual({
      allowed: false,
      message: CHANNEL_NOT_ALLOWED,
    });
  });
});
