// Shared write budgets: every reply spends one platform budget (a Slack workspace's chat.update, a Discord channel's edits).
import { type RenderClock, systemClock } from "./surface.ts";

/**
 * How many writes a budget allows in any sliding window (Slack chat.update, Tier 3: 50 per 60,000 ms). A write
 * holds its slot from when it is granted until a window (and the margin) after it finished: however late a busy
 * process sends it, the platform never sees more than `limit` of them in one window.
 */
export interface BudgetRate {
  limit: number;
  windowMs: number;
  /** Extra time kept beyond the window, for the platform's clock (default: a tenth of the window, at least 50 ms). */
  marginMs?: number;
}

/**
 * Which waiting write goes first when a budget is short: the writes that finish an answer (final text,
 * continuations, the error), then an answer's first text, then streaming edits.
 */
export type WritePriority = "finish" | "first" | "stream";

/** One write's claim on a budget. */
export interface BudgetTicket {
  /** Resolves when the write may go. */
  readonly granted: Promise<void>;
  /** True once the slot was granted. */
  isGranted(): boolean;
  /** Says the granted write finished (or failed): its slot frees up a window from now. */
  done(): void;
  /** Withdraws the claim: leaves the queue, or gives back a granted slot that no write used. */
  cancel(): void;
}

/** One shared budget, looked up by key on every request. */
export interface SharedBudget {
  /** The budget's key (two budgets with one key are the same budget). */
  readonly key: string;
  /** Queues a claim for one write; claims are granted by priority, then in order of arrival. */
  request(priority: WritePriority): BudgetTicket;
  /** A slot granted at once when one is free and nobody waits, else undefined (for writes worth skipping). */
  tryNow(): BudgetTicket | undefined;
}

/** The budgets of one adapter, created once and handed to every reply. */
export interface EditPacer {
  /** The budget shared by every write with this key (Slack: per workspace; Discord: per channel). */
  budget(key: string): SharedBudget;
  /** How many claims wait on a key now (for tests and metrics). */
  waiting(key: string): number;
}

const PRIORITY_ORDER: Record<WritePriority, number> = { finish: 0, first: 1, stream: 2 };

interface Claim {
  rank: number;
  /** Set once granted: the slot it holds. */
  slot: Slot | undefined;
  resolve: () => void;
}

/** A slot in use: its write is in flight (no finish time yet) or finished less than a span ago. */
interface Slot {
  finishedAtMs: number | undefined;
}

interface KeyState {
  /** Slots still counted against the budget. */
  slots: Slot[];
  /** Claims not yet granted, best first. */
  waiting: Claim[];
  /** When a wake-up is already scheduled. */
  wakeAtMs: number | undefined;
}

/** Creates the pacer: sliding-window budgets of `rate`, one per key, timed by `clock`. */
export function createEditPacer(rate: BudgetRate, clock: RenderClock = systemClock): EditPacer {
  if (!(rate.limit >= 1) || !(rate.windowMs > 0)) {
    throw new RangeError(`a budget needs limit >= 1 and windowMs > 0, got ${rate.limit}/${rate.windowMs}`);
  }
  const spanMs = rate.windowMs + (rate.marginMs ?? Math.max(50, Math.round(rate.windowMs / 10)));
  const states = new Map<string, KeyState>();
  let lastSweepMs = clock.now();

  function prune(state: KeyState, nowMs: number): void {
    state.slots = state.slots.filter(
      (slot) => slot.finishedAtMs === undefined || slot.finishedAtMs + spanMs > nowMs,
    );
  }

  /** Forgets budgets nobody used for a whole span (Discord threads come and go). */
  function sweep(nowMs: number): void {
    if (nowMs - lastSweepMs < spanMs) return;
    lastSweepMs = nowMs;
    for (const [key, state] of states) {
      prune(state, nowMs);
      if (state.waiting.length === 0 && state.slots.length === 0 && state.wakeAtMs === undefined) {
        states.delete(key);
      }
    }
  }

  function stateOf(key: string): KeyState {
    sweep(clock.now());
    let state = states.get(key);
    if (!state) {
      state = { slots: [], waiting: [], wakeAtMs: undefined };
      states.set(key, state);
    }
    return state;
  }

  /**
   * When the next slot frees up: now while fewer than `limit` are in use; else when enough finished writes leave
   * the span, or undefined while too many are still in flight (their `done` wakes the queue).
   */
  function freeAtMs(state: KeyState, nowMs: number): number | undefined {
    prune(state, nowMs);
    const excess = state.slots.length - rate.limit;
    if (excess < 0) return nowMs;
    const finishTimes = state.slots
      .map((slot) => slot.finishedAtMs)
      .filter((atMs): atMs is number => atMs !== undefined)
      .sort((a, b) => a - b);
    const freedBy = finishTimes[excess];
    return freedBy === undefined ? undefined : freedBy + spanMs;
  }

  function pump(state: KeyState): void {
    for (;;) {
      const claim = state.waiting[0];
      if (!claim) return;
      const nowMs = clock.now();
      const freeAt = freeAtMs(state, nowMs);
      if (freeAt === undefined) return;
      if (freeAt > nowMs) {
        wakeAt(state, freeAt);
        return;
      }
      state.waiting.shift();
      claim.slot = { finishedAtMs: undefined };
      state.slots.push(claim.slot);
      claim.resolve();
    }
  }

  function wakeAt(state: KeyState, atMs: number): void {
    if (state.wakeAtMs !== undefined && state.wakeAtMs <= atMs) return;
    state.wakeAtMs = atMs;
    void clock.sleep(atMs - clock.now()).then(() => {
      if (state.wakeAtMs === atMs) state.wakeAtMs = undefined;
      pump(state);
    });
  }

  function ticketFor(state: KeyState, claim: Claim, granted: Promise<void>): BudgetTicket {
    let settled = false;
    return {
      granted,
      isGranted: () => claim.slot !== undefined,
      done() {
        if (!claim.slot || settled) return;
        settled = true;
        claim.slot.finishedAtMs = clock.now();
        pump(state);
      },
      cancel() {
        if (settled) return;
        settled = true;
        if (!claim.slot) {
          const index = state.waiting.indexOf(claim);
          if (index >= 0) state.waiting.splice(index, 1);
          return;
        }
        // No write went out with this slot: the platform never counted it.
        const index = state.slots.indexOf(claim.slot);
        if (index >= 0) state.slots.splice(index, 1);
        pump(state);
      },
    };
  }

  function request(key: string, priority: WritePriority): BudgetTicket {
    const state = stateOf(key);
    let resolve: () => void = () => undefined;
    const granted = new Promise<void>((settle) => {
      resolve = settle;
    });
    const claim: Claim = { rank: PRIORITY_ORDER[priority], slot: undefined, resolve };
    const at = state.waiting.findIndex((other) => other.rank > claim.rank);
    if (at === -1) state.waiting.push(claim);
    else state.waiting.splice(at, 0, claim);
    pump(state);
    return ticketFor(state, claim, granted);
  }

  function tryNow(key: string): BudgetTicket | undefined {
    const state = stateOf(key);
    const nowMs = clock.now();
    if (state.waiting.length > 0 || freeAtMs(state, nowMs) !== nowMs) return undefined;
    return request(key, "finish");
  }

  return {
    budget: (key) => ({
      key,
      request: (priority) => request(key, priority),
      tryNow: () => tryNow(key),
    }),
    waiting: (key) => states.get(key)?.waiting.length ?? 0,
  };
}
