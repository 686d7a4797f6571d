// The refusal of a turn over a limit: which limit, the use against it and when it resets, in one sentence.
import { ParleyError } from "../errors.ts";

/** Every limit a turn can be refused by (the metrics label). */
export type LimitName =
  | "user_daily_tokens"
  | "channel_daily_tokens"
  | "workspace_daily_tokens"
  | "workspace_monthly_usd"
  | "user_turns_per_minute"
  | "user_concurrent";

/** A turn refused by a limit before the provider was called. */
export class PolicyRefusal extends ParleyError {
  readonly limit: LimitName;

  constructor(limit: LimitName, sentence: string) {
    super("limit_reached", sentence);
    this.name = "PolicyRefusal";
    this.limit = limit;
  }
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** A whole number as users read it: 20,000. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** Dollars with cents: $50.00. */
export function formatDollars(value: number): string {
  return `$${value.toFixed(2)}`;
}

/** How long until something, coarsely: "45 s", "3 h 12 min", "12 days 3 h". */
export function describeWait(milliseconds: number): string {
  if (milliseconds < 60_000) return `${Math.max(1, Math.ceil(milliseconds / 1000))} s`;
  const totalMinutes = Math.ceil(milliseconds / 60_000);
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  const parts = [
    days > 0 ? `${days} ${days === 1 ? "day" : "days"}` : "",
    hours > 0 ? `${hours} h` : "",
    days === 0 && minutes > 0 ? `${minutes} min` : "",
  ];
  return parts.filter(Boolean).join(" ");
}

/** The next UTC midnight after `at`. */
export function nextUtcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1));
}

/** The first instant of the next UTC month after `at`. */
export function nextUtcMonth(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
}

/** "it resets at 00:00 UTC (in 3 h 12 min)" for a daily limit, "on 1 August at 00:00 UTC (…)" for a monthly one. */
export function resetClause(period: "day" | "month", at: Date): string {
  if (period === "day")
    return `it resets at 00:00 UTC (in ${describeWait(nextUtcDay(at).getTime() - at.getTime())})`;
  const reset = nextUtcMonth(at);
  return `it resets on 1 ${MONTHS[reset.getUTCMonth()]} at 00:00 UTC (in ${describeWait(reset.getTime() - at.getTime())})`;
}

/** The sentence for a reached token or cost cap. */
export function capSentence(limit: LimitName, cap: number, used: number, at: Date): string {
  switch (limit) {
    case "workspace_monthly_usd":
      return `This workspace's monthly budget of ${formatDollars(cap)} is used up (${formatDollars(used)} spent this month); ${resetClause("month", at)}.`;
    case "channel_daily_tokens":
      return `This channel's daily limit of ${formatCount(cap)} tokens is used up (${formatCount(used)} used today); ${resetClause("day", at)}.`;
    case "workspace_daily_tokens":
      return `This workspace's daily limit of ${formatCount(cap)} tokens is used up (${formatCount(used)} used today); ${resetClause("day", at)}.`;
    default:
      return `Your daily limit of ${formatCount(cap)} tokens is used up (${formatCount(used)} used today); ${resetClause("day", at)}.`;
  }
}

/** The sentence for the per-minute rate limit; `retryInMs` until the oldest turn leaves the window. */
export function rateSentence(limit: number, used: number, retryInMs: number): string {
  return `Your limit of ${formatCount(limit)} ${limit === 1 ? "question" : "questions"} a minute is reached (${formatCount(used)} in the last minute); you can ask again in ${describeWait(retryInMs)}.`;
}

/** The sentence for the limit of answers in flight. */
export function concurrencySentence(limit: number, used: number): string {
  return `Your limit of ${formatCount(limit)} ${limit === 1 ? "answer" : "answers"} at a time is reached (${formatCount(used)} being written); ask again when ${used === 1 ? "it is" : "one is"} finished.`;
}
