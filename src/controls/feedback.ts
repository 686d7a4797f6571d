// Votes on answers: one per person per answer (changeable), kept with its command, model and channel, tallied monthly.
import type Keyv from "keyv";
import type { Counters } from "../store/counters.ts";
import type { ReplyRecord } from "./reply-controls.ts";

/** A 👍 or a 👎. */
export type FeedbackVote = "up" | "down";

/** One person's vote on one answer, as the store keeps it. */
export interface StoredVote {
  vote: FeedbackVote;
  command: string;
  model?: string;
  channel: string;
  atMs: number;
}

/** The votes of a workspace in one month. */
export interface FeedbackTotals {
  up: number;
  down: number;
}

const VOTE_TTL_MS = 400 * 24 * 60 * 60 * 1000;

/** The counter key of a workspace's votes in the month of `at` (UTC). */
export function feedbackCounterKey(platform: string, workspace: string, at: Date): string {
  return `feedback:${platform}:${workspace}:${at.toISOString().slice(0, 7)}`;
}

/** Stores the vote and moves the month's tally by the difference from the voter's previous vote. */
export async function recordVote(
  deps: { store: Keyv; counters: Counters; now: () => Date },
  input: { requestId: string; record: ReplyRecord; voterId: string; vote: FeedbackVote },
): Promise<void> {
  const { record, vote } = input;
  const key = `vote:${input.requestId}:${input.voterId}`;
  const previous = (await deps.store.get<StoredVote>(key)) ?? undefined;
  const at = deps.now();
  const stored: StoredVote = {
    vote,
    command: record.command,
    ...(record.model ? { model: record.model } : {}),
    channel: `${record.platform}:${record.workspace}:${record.channel}`,
    atMs: at.getTime(),
  };
  await deps.store.set(key, stored, VOTE_TTL_MS);
  if (previous?.vote === vote) return;
  const amounts: Record<string, number> = { [vote]: 1 };
  if (previous) amounts[previous.vote] = -1;
  await deps.counters.add(feedbackCounterKey(record.platform, record.workspace, at), amounts, VOTE_TTL_MS);
}

/** A workspace's votes this month. */
export async function readFeedbackTotals(
  counters: Counters,
  platform: string,
  workspace: string,
  at: Date,
): Promise<FeedbackTotals> {
  const fields = await counters.read(feedbackCounterKey(platform, workspace, at));
  return { up: fields.up ?? 0, down: fields.down ?? 0 };
}
