// Slack's limits and parley's pacing for Slack messages, in one place.
import type { BudgetRate } from "../../src/render/edit-pacer.ts";

/**
 * Longest answer text one Slack message carries, after formatting. Slack advises at most 4,000 characters in a
 * message's `text` (it truncates at 40,000); the rest of that budget is kept for the question header of a command's
 * first message.
 */
export const SLACK_ANSWER_MAX_CHARACTERS = 3_500;

/** Longest question header put above a command's answer (its own line, quoted). */
export const SLACK_HEADER_MAX_CHARACTERS = 400;

/** Least time between two chat.update calls on one message: chat.update is Tier 3 (about 50 a minute). */
export const SLACK_EDIT_INTERVAL_MS = 1_200;

/**
 * chat.update calls one workspace allows, shared by every answer: chat.update is Tier 3 ("50+ per minute" per
 * workspace and app). Placeholder fills, streaming edits and final texts all spend it.
 */
export const SLACK_UPDATE_BUDGET: BudgetRate = { limit: 50, windowMs: 60_000 };

/**
 * Native streaming's calls one workspace allows, shared by every answer: chat.startStream and chat.stopStream are
 * Tier 2 ("20+ per minute"), chat.appendStream Tier 4 ("100+ per minute").
 */
export const SLACK_STREAM_START_BUDGET: BudgetRate = { limit: 20, windowMs: 60_000 };
export const SLACK_STREAM_STOP_BUDGET: BudgetRate = { limit: 20, windowMs: 60_000 };
export const SLACK_STREAM_APPEND_BUDGET: BudgetRate = { limit: 100, windowMs: 60_000 };

/** Longest thread title set on an assistant thread. */
export const SLACK_THREAD_TITLE_MAX_CHARACTERS = 80;

/** How long stop() waits for answers still streaming before it gives up on them. */
export const SLACK_STOP_GRACE_MS = 10_000;
