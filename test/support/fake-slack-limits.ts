// The fake Slack's rate limits: chat.update is Tier 3, a budget per workspace that answers 429 once spent.

/** A Web API method's budget: at most `limit` calls in any window of `windowMs`. */
export interface FakeSlackRate {
  limit: number;
  windowMs: number;
}

/** chat.update is Tier 3: "50+ per minute" per workspace; the fake allows exactly 50. */
export const TIER_3_RATE: FakeSlackRate = { limit: 50, windowMs: 60_000 };

/** Counts calls per workspace and says how long a call over the budget must wait. */
export function createFakeSlackLimiter(rate: FakeSlackRate) {
  const callTimes = new Map<string, number[]>();
  return {
    /** Counts a call; returns the Retry-After in seconds when the workspace's budget is spent (not counted). */
    take(workspace: string, nowMs: number): number | undefined {
      const recent = (callTimes.get(workspace) ?? []).filter((atMs) => atMs > nowMs - rate.windowMs);
      callTimes.set(workspace, recent);
      if (recent.length >= rate.limit) {
        const oldest = recent[0] ?? nowMs;
        return Math.max(1, Math.ceil((oldest + rate.windowMs - nowMs) / 1000));
      }
      recent.push(nowMs);
      return undefined;
    },
  };
}
