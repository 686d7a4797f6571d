// The policy variables: defaults, what they become, and every mistake named with its variable.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.ts";
import type { ParleyError } from "../../../src/errors.ts";

const problemsOf = (env: Record<string, string>): string => {
  try {
    loadConfig({ AIML_API_KEY: "k", ...env });
  } catch (error) {
    return (error as ParleyError).userMessage;
  }
  return "";
};

describe("policy configuration", () => {
  it("defaults to no limits, no lists, DMs answered and 30 days of retention", () => {
    expect(loadConfig({ AIML_API_KEY: "k" }).policy).toEqual({
      limits: {},
      access: { channels: [], users: [], roles: [], directMessages: true },
      adminUsers: [],
      retentionDays: 30,
    });
  });

  it("reads every variable; 0 means no limit", () => {
    const { policy } = loadConfig({
      AIML_API_KEY: "k",
      LIMIT_USER_DAILY_TOKENS: "20000",
      LIMIT_CHANNEL_DAILY_TOKENS: "0",
      LIMIT_WORKSPACE_DAILY_TOKENS: " 1000000 ",
      LIMIT_WORKSPACE_MONTHLY_USD: "12.5",
      LIMIT_USER_TURNS_PER_MINUTE: "5",
      LIMIT_USER_CONCURRENT: "1",
      ALLOW_CHANNELS: "C1, 123456789012345678 ,slack:C2",
      ALLOW_USERS: "U1",
      ALLOW_ROLES: "987",
      ALLOW_DMS: "false",
      ADMIN_USERS: "discord:123456789012345678,slack:U0ADMIN",
      RETENTION_DAYS: "7",
    });
    expect(policy).toEqual({
      limits: {
        userDailyTokens: 20_000,
        channelDailyTokens: undefined,
        workspaceDailyTokens: 1_000_000,
        workspaceMonthlyUsd: 12.5,
        userTurnsPerMinute: 5,
        userConcurrent: 1,
      },
      access: {
        channels: ["C1", "123456789012345678", "slack:C2"],
        users: ["U1"],
        roles: ["987"],
        directMessages: false,
      },
      adminUsers: ["discord:123456789012345678", "slack:U0ADMIN"],
      retentionDays: 7,
    });
  });

  it("names each bad variable with what it expected", () => {
    const problems = problemsOf({
      LIMIT_USER_DAILY_TOKENS: "20k",
      LIMIT_WORKSPACE_MONTHLY_USD: "$50",
      ALLOW_DMS: "maybe",
      ALLOW_CHANNELS: "C1 C2",
      ADMIN_USERS: "123456789012345678",
      RETENTION_DAYS: "0",
    });
    // Names containing TOKEN never echo their value (see loadConfig), even when it is a count of tokens.
    expect(problems).toContain("LIMIT_USER_DAILY_TOKENS: expected a whole number (0 or unset: no limit)");
    expect(problems).toContain("LIMIT_WORKSPACE_MONTHLY_USD: expected an amount of US dollars");
    expect(problems).toContain('ALLOW_DMS: expected true or false, got "maybe"');
    expect(problems).toContain(
      'ALLOW_CHANNELS: expected a comma list of ids (each may be written platform:id), got "C1 C2"',
    );
    expect(problems).toContain(
      'ADMIN_USERS: expected a comma list of platform:userId, such as discord:123456789012345678,slack:U0123ABCD, got "123456789012345678"',
    );
    expect(problems).toContain('RETENTION_DAYS: expected a whole number of days from 1 to 3650, got "0"');
  });
});
