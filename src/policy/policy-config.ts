// The variables of admin policy (limits, allow-lists, admins, retention): their schema and what loadConfig makes of them.
import { z } from "zod";
import { commaList, integer, optionalText } from "../config-fields.ts";

/** Token and cost limits from the environment; undefined: unlimited. Days and months are UTC. */
export interface UsageLimits {
  userDailyTokens?: number;
  channelDailyTokens?: number;
  workspaceDailyTokens?: number;
  workspaceMonthlyUsd?: number;
  /** Turns one person may start in any 60 seconds (a sliding window). */
  userTurnsPerMinute?: number;
  /** Answers one person may have in flight at once. */
  userConcurrent?: number;
}

/** Where and for whom parley answers; an empty list does not restrict. */
export interface AccessLists {
  /** Channel ids (a thread follows its parent); entries may be `platform:id`. */
  channels: string[];
  /** User ids; entries may be `platform:id`. */
  users: string[];
  /** Role ids (Discord); entries may be `platform:id`. */
  roles: string[];
  /** Whether direct messages with the bot are answered. */
  directMessages: boolean;
}

/** Everything admins decide through the environment. */
export interface PolicyConfig {
  limits: UsageLimits;
  access: AccessLists;
  /** `platform:userId` entries (`discord:123…`, `slack:U0…`): admins on every platform. */
  adminUsers: string[];
  /** Stored conversations expire this many days after their last turn. */
  retentionDays: number;
}

/** A whole number where unset or 0 means no limit. */
const optionalLimit = optionalText.pipe(
  z
    .string()
    .refine((value) => /^\d+$/.test(value) && Number(value) <= 1e12, {
      message: "expected a whole number (0 or unset: no limit)",
    })
    .transform((value) => (Number(value) > 0 ? Number(value) : undefined))
    .optional(),
);

/** An amount of US dollars where unset or 0 means no limit. */
const optionalDollars = optionalText.pipe(
  z
    .string()
    .refine((value) => /^\d+(\.\d+)?$/.test(value) && Number(value) <= 1e9, {
      message: "expected an amount of US dollars such as 50 or 12.5 (0 or unset: no limit)",
    })
    .transform((value) => (Number(value) > 0 ? Number(value) : undefined))
    .optional(),
);

/** A comma list of ids, each bare or `platform:id`. */
const idList = commaList(
  /^([a-z]+:)?[\w.-]+$/,
  "expected a comma list of ids (each may be written platform:id)",
);

/** The variables this file reads; loadConfig folds them into its schema. */
export const policyEnvironment = {
  LIMIT_USER_DAILY_TOKENS: optionalLimit,
  LIMIT_CHANNEL_DAILY_TOKENS: optionalLimit,
  LIMIT_WORKSPACE_DAILY_TOKENS: optionalLimit,
  LIMIT_WORKSPACE_MONTHLY_USD: optionalDollars,
  LIMIT_USER_TURNS_PER_MINUTE: optionalLimit,
  LIMIT_USER_CONCURRENT: optionalLimit,
  ALLOW_CHANNELS: idList,
  ALLOW_USERS: idList,
  ALLOW_ROLES: idList,
  ALLOW_DMS: optionalText.pipe(
    z
      .enum(["1", "0", "true", "false", "yes", "no"], { message: "expected true or false" })
      .default("true")
      .transform((value) => ["1", "true", "yes"].includes(value)),
  ),
  ADMIN_USERS: commaList(
    /^[a-z]+:[\w.-]+$/,
    "expected a comma list of platform:userId, such as discord:123456789012345678,slack:U0123ABCD",
  ),
  RETENTION_DAYS: integer(30, 1, 3650, "days"),
};

const policySchema = z.object(policyEnvironment);

/** The policy part of the configuration, from the validated variables. */
export function policyConfig(vars: z.infer<typeof policySchema>): PolicyConfig {
  return {
    limits: {
      userDailyTokens: vars.LIMIT_USER_DAILY_TOKENS,
      channelDailyTokens: vars.LIMIT_CHANNEL_DAILY_TOKENS,
      workspaceDailyTokens: vars.LIMIT_WORKSPACE_DAILY_TOKENS,
      workspaceMonthlyUsd: vars.LIMIT_WORKSPACE_MONTHLY_USD,
      userTurnsPerMinute: vars.LIMIT_USER_TURNS_PER_MINUTE,
      userConcurrent: vars.LIMIT_USER_CONCURRENT,
    },
    access: {
      channels: vars.ALLOW_CHANNELS ?? [],
      users: vars.ALLOW_USERS ?? [],
      roles: vars.ALLOW_ROLES ?? [],
      directMessages: vars.ALLOW_DMS,
    },
    adminUsers: vars.ADMIN_USERS ?? [],
    retentionDays: vars.RETENTION_DAYS,
  };
}
