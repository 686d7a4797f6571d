// Token and cost counters per user, channel and workspace, per day and per month, kept in the store's counters.
import type { Counters } from "../store/counters.ts";
import type { ConversationKey, Usage } from "../types.ts";

/** Totals over one scope and period. */
export interface UsageTotals {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

/** Who a usage record belongs to. */
export interface UsageScopes {
  user: string;
  channel: string;
  workspace: string;
}

/** The scopes a turn's usage counts under: its author, its channel (a thread counts for its channel), its workspace. */
export function usageScopes(key: ConversationKey, authorId: string): UsageScopes {
  return {
    user: `${key.platform}:${key.workspace}:${authorId}`,
    channel: `${key.platform}:${key.workspace}:${key.channel}`,
    workspace: `${key.platform}:${key.workspace}`,
  };
}

/** The periods /usage reports. */
export type UsagePeriod = "today" | "month";

const DAY_TTL_MS = 40 * 24 * 60 * 60 * 1000;
const MONTH_TTL_MS = 400 * 24 * 60 * 60 * 1000;

const EMPTY: UsageTotals = { requests: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };

/** Adds and reads usage counters. */
export class UsageLedger {
  private readonly counters: Counters;
  private readonly now: () => Date;

  constructor(counters: Counters, now: () => Date = () => new Date()) {
    this.counters = counters;
    this.now = now;
  }

  /** Adds one exchange to the six counters it touches. */
  async record(scopes: UsageScopes, usage: Usage): Promise<void> {
    const at = this.now();
    const amounts = {
      requests: 1,
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
      costUsd: usage.costUsd ?? 0,
    };
    const additions: Promise<void>[] = [];
    for (const [scope, id] of Object.entries(scopes)) {
      additions.push(this.counters.add(usageCounterKey(scope, id, "today", at), amounts, DAY_TTL_MS));
      additions.push(this.counters.add(usageCounterKey(scope, id, "month", at), amounts, MONTH_TTL_MS));
    }
    await Promise.all(additions);
  }

  /** Reads the totals of one scope and period. */
  async read(scope: keyof UsageScopes, id: string, period: UsagePeriod): Promise<UsageTotals> {
    const fields = await this.counters.read(usageCounterKey(scope, id, period, this.now()));
    return { ...EMPTY, ...fields };
  }

  /**
   * Deletes every counter of one person (`scope` user, id `platform:workspace:user`) still kept: the days and
   * months their counters can live. Resolves to how many counters there were.
   */
  async forgetUser(id: string): Promise<number> {
    const at = this.now().getTime();
    const keys = new Set<string>();
    for (let daysBack = 0; daysBack * 86_400_000 <= MONTH_TTL_MS; daysBack++) {
      const day = new Date(at - daysBack * 86_400_000);
      if (daysBack * 86_400_000 <= DAY_TTL_MS) keys.add(usageCounterKey("user", id, "today", day));
      keys.add(usageCounterKey("user", id, "month", day));
    }
    return this.counters.remove([...keys]);
  }
}

/** The counter key of one scope and period at an instant: `usage:user:discord:G1:U1:2030-01-31` (or `:2030-01`). */
export function usageCounterKey(scope: string, id: string, period: UsagePeriod, at: Date): string {
  const day = at.toISOString().slice(0, 10);
  return `usage:${scope}:${id}:${period === "today" ? day : day.slice(0, 7)}`;
}
