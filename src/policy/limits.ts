// The limits check every model turn passes before the provider is called: one store round trip, shared by replicas.
import { randomUUID } from "node:crypto";
import type { ChannelChoices } from "../engine/channel-settings.ts";
import type { CounterCap, Quotas, QuotaVerdict, SlidingWindow, Slots } from "../store/quotas.ts";
import type { Turn } from "../types.ts";
import { usageCounterKey, usageScopes } from "../usage/usage-ledger.ts";
import type { UsageLimits } from "./policy-config.ts";
import { capSentence, concurrencySentence, type LimitName, PolicyRefusal, rateSentence } from "./refusal.ts";

/** The per-minute window of LIMIT_USER_TURNS_PER_MINUTE. */
const RATE_WINDOW_MS = 60_000;

/** A turn let through: it holds an answer slot (when LIMIT_USER_CONCURRENT is set) until released. */
export interface Admission {
  /** Frees the answer slot; safe to call more than once, never throws (a slot not freed expires by itself). */
  release(): Promise<void>;
}

/** The limits that apply to one turn: the environment's, with the channel's own replacing them. */
export function effectiveLimits(environment: UsageLimits, channel: ChannelChoices): UsageLimits {
  // A channel's 0 means "no limit here", which undefined says to the rest of the code.
  const channelOr = (own: number | undefined, fallback: number | undefined) =>
    own === undefined ? fallback : own > 0 ? own : undefined;
  return {
    ...environment,
    userDailyTokens: channelOr(channel.userDailyTokens, environment.userDailyTokens),
    channelDailyTokens: channelOr(channel.channelDailyTokens, environment.channelDailyTokens),
  };
}

/** Checks turns against the limits. */
export interface LimitsCheck {
  /** Lets the turn through, or throws a PolicyRefusal saying which limit, the use and when it resets. */
  admit(turn: Turn, channel: ChannelChoices): Promise<Admission>;
}

/** What the check is built from. */
export interface LimitsCheckOptions {
  limits: UsageLimits;
  quotas: Quotas;
  now: () => Date;
  /** How long an answer slot outlives a process that died holding it (longer than any turn may run). */
  slotLeaseMs: number;
  /** Logs a slot that could not be freed. */
  onReleaseFailed?: (error: unknown) => void;
}

const TOKEN_FIELDS = ["promptTokens", "completionTokens"] as const;

/** Builds the check; a turn under no limit costs no store call. */
export function createLimitsCheck(options: LimitsCheckOptions): LimitsCheck {
  return {
    async admit(turn, channel) {
      const limits = effectiveLimits(options.limits, channel);
      const at = options.now();
      const scopes = usageScopes(turn.key, turn.author.id);
      const caps: CounterCap[] = [];
      const cap = (
        name: LimitName,
        limit: number | undefined,
        counterKey: string,
        fields: readonly string[],
      ) => {
        if (limit !== undefined) caps.push({ name, counterKey, fields, limit });
      };
      cap(
        "user_daily_tokens",
        limits.userDailyTokens,
        usageCounterKey("user", scopes.user, "today", at),
        TOKEN_FIELDS,
      );
      cap(
        "channel_daily_tokens",
        limits.channelDailyTokens,
        usageCounterKey("channel", scopes.channel, "today", at),
        TOKEN_FIELDS,
      );
      cap(
        "workspace_daily_tokens",
        limits.workspaceDailyTokens,
        usageCounterKey("workspace", scopes.workspace, "today", at),
        TOKEN_FIELDS,
      );
      cap(
        "workspace_monthly_usd",
        limits.workspaceMonthlyUsd,
        usageCounterKey("workspace", scopes.workspace, "month", at),
        ["costUsd"],
      );
      const window: SlidingWindow | undefined =
        limits.userTurnsPerMinute === undefined
          ? undefined
          : { key: `rate:${scopes.user}`, limit: limits.userTurnsPerMinute, windowMs: RATE_WINDOW_MS };
      const slots: Slots | undefined =
        limits.userConcurrent === undefined
          ? undefined
          : { key: `in-flight:${scopes.user}`, limit: limits.userConcurrent, leaseMs: options.slotLeaseMs };
      if (caps.length === 0 && !window && !slots) return { release: async () => undefined };

      const id = randomUUID();
      const verdict = await options.quotas.admit({
        nowMs: at.getTime(),
        id,
        caps,
        ...(window ? { window } : {}),
        ...(slots ? { slots } : {}),
      });
      if (!verdict.admitted) throw refusal(verdict, { caps, window, slots, at });
      let held = slots !== undefined;
      return {
        async release() {
          if (!held || !slots) return;
          held = false;
          await options.quotas
            .release(slots.key, id)
            .catch((error: unknown) => options.onReleaseFailed?.(error));
        },
      };
    },
  };
}

/** The refusal a verdict stands for. */
function refusal(
  verdict: Exclude<QuotaVerdict, { admitted: true }>,
  request: { caps: CounterCap[]; window?: SlidingWindow; slots?: Slots; at: Date },
): PolicyRefusal {
  switch (verdict.refusedBy) {
    case "cap": {
      const cap = request.caps.find((candidate) => candidate.name === verdict.cap);
      const name = (cap?.name ?? "user_daily_tokens") as LimitName;
      return new PolicyRefusal(name, capSentence(name, cap?.limit ?? 0, verdict.used, request.at));
    }
    case "window": {
      const limit = request.window?.limit ?? 0;
      const retryInMs = verdict.oldestAtMs + RATE_WINDOW_MS - request.at.getTime();
      return new PolicyRefusal("user_turns_per_minute", rateSentence(limit, verdict.used, retryInMs));
    }
    case "slots":
      return new PolicyRefusal(
        "user_concurrent",
        concurrencySentence(request.slots?.limit ?? 0, verdict.used),
      );
  }
}
