// Token and cost counters per user, channel and workspace, per day and per month, kept in keyv.
import type Keyv from "keyv";
import { KeyedMutex } from "../engine/keyed-mutex.ts";
import type { Usage } from "../types.ts";

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

/** The periods /usage reports. */
export type UsagePeriod = "today" | "month";

const DAY_TTL_MS = 40 * 24 * 60 * 60 * 1000;
const MONTH_TTL_MS = 400 * 24 * 60 * 60 * 1000;

const EMPTY: UsageTotals = { requests: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };

/** Adds and reads usage counters. */
export class UsageLedger {
  private readonly keyv: Keyv;
  private readonly now: () => Date;
  // Read-modify-write needs one writer per counter in this process.
  private readonly mutex = new KeyedMutex();

  constructor(keyv: Keyv, now: () => Date = () => new Date()) {
    this.keyv = keyv;
    this.now = now;
  }

  /** Adds one exchange to the six counters it touches. */
  async record(scopes: UsageScopes, usage: Usage): Promise<void> {
    const at = this.now();
    const updates: Promise<void>[] = [];
    for (const [scope, id] of Object.entries(scopes)) {
      for (const period of ["today", "month"] as const) {
        const key = counterKey(scope, id, period, at);
        const ttl = period === "today" ? DAY_TTL_MS : MONTH_TTL_MS;
        updates.push(
          this.mutex.run(key, async () => {
            const totals = (await this.keyv.get<UsageTotals>(key)) ?? EMPTY;
            await this.keyv.set(
              key,
              {
                requests: totals.requests + 1,
                promptTokens: totals.promptTokens + usage.promptTokens,
                completionTokens: totals.completionTokens + usage.completionTokens,
                costUsd: totals.costUsd + (usage.costUsd ?? 0),
              },
              ttl,
            );
          }),
        );
      }
    }
    await Promise.all(updates);
  }

  /** Reads the totals of one scope and period. */
  async read(scope: keyof UsageScopes, id: string, period: UsagePeriod): Promise<UsageTotals> {
    return (await this.keyv.get<UsageTotals>(counterKey(scope, id, period, this.now()))) ?? EMPTY;
  }
}

function counterKey(scope: string, id: string, period: UsagePeriod, at: Date): string {
  const day = at.toISOString().slice(0, 10);
  return `${scope}:${id}:${period === "today" ? day : day.slice(0, 7)}`;
}
