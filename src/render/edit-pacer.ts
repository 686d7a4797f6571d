// Shared write budgets: every reply spends one platform budget (a Slack workspace's chat.update, a Discord channel's edits).
import { type RenderClock, systemClock } from "./surface.ts";

/** How many writes a budget allows in any sliding window (Slack chat.update, Tier 3: 50 per 60,000 ms). */
export interface BudgetRate {
  limit: number;
  windowMs: number;
  /**
   * Extra time kept beyond the window, so that network delay and the platform's own clock never make parley's
   * writes land closer together than the platform counts (default: a tenth of the window, at least 50 ms).
   */
  marginMs?: number;
}

/**
 * Which waiting write goes first when a budget is short: the writes that finish an answer (final text,
 * continuations, the error), then an answer's first text, then streaming edits.
 */
export type WritePriority = "finish" | "first" | "stream";

/** One write's claim on a budget. */
export interface BudgetTicket {
  /** Resolves when the write may go; the write must then follow at once. */
  readonly granted: Promise<void>;
  /** True once the slot was granted. */
  isGranted(): boolean;
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
  sequence: number;
  grantedAtMs: number | undefined;
  grant: () => void;
}

interface KeyState {
  /** When recent slots were granted, oldest first (at most `limit` kept). */
  grants: number[];
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
  let sequence = 0;
  let lastSweepMs = clock.now();

  const isIdle = (state: KeyState, nowMs: number): boolean =>
    state.waiting.length === 0 && (state.grants.at(-1) ?? Number.NEGATIVE_INFINITY) + spanMs <= nowMs;

  /** Forgets budgets nobody used for a whole window (Discord threads come and go). */
  function sweep(nowMs: number): void {
    if (nowMs - lastSweepMs < spanMs) return;
    lastSweepMs = nowMs;
    for (const [key, state] of states)
      if (isIdle(state, nowMs) && state.wakeAtMs === undefined) states.delete(key);
  }

  function stateOf(key: string): KeyState {
    sweep(clock.now());
    let state = states.get(key);
    if (!state) {
      state = { grants: [], waiting: [], wakeAtMs: undefined };
      states.set(key, state);
    }
    return state;
  }

  /** When the next slot frees up: at once while fewer than `limit` writes fall in the last span. */
  function freeAtMs(state: KeyState, nowMs: number): number {
    while (state.grants.length > 0 && (state.grants[0] ?? 0) + spanMs <= nowMs) state.grants.shift();
    if (state.grants.length < rate.limit) return nowMs;
    return (state.grants[state.grants.length - rate.limit] ?? nowMs) + spanMs;
  }

  function pump(state: KeyState): void {
    for (;;) {
      const claim = state.waiting[0];
      if (!claim) return;
      const nowMs = clock.now();
      const freeAt = freeAtMs(state, nowMs);
      if (freeAt > nowMs) {
        wakeAt(state, freeAt);
        return;
      }
      state.waiting.shift();
      state.grants.push(nowMs);
      claim.grantedAtMs = nowMs;
      claim.grant();
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
    return {
      granted,
      isGranted: () => claim.grantedAtMs !== undefined,
      cancel() {
        if (claim.grantedAtMs === undefined) {
          const index = state.waiting.indexOf(claim);
          if (index >= 0) state.waiting.splice(index, 1);
          return;
        }
        // No write went out with this slot: the platform never counted it.
        const index = state.grants.lastIndexOf(claim.grantedAtMs);
        claim.grantedAtMs = undefined;
        if (index >= 0) state.grants.splice(index, 1);
        pump(state);
      },
    };
  }

  function request(key: string, priority: WritePriority): BudgetTicket {
    const state = stateOf(key);
    let grant: () => void = () => undefined;
    const granted = new Promise<void>((resolve) => {
      grant = resolve;
    });
    const claim: Claim = {
      rank: PRIORITY_ORDER[priority],
      sequence: sequence++,
      grantedAtMs: undefined,
      grant,
    };
    const at = state.waiting.findIndex((other) => other.rank > claim.rank);
    if (at === -1) state.waiting.push(claim);
    else state.waiting.splice(at, 0, claim);
    pump(state);
    return ticketFor(state, claim, granted);
  }

  function tryNow(key: string): BudgetTicket | undefined {
    const state = stateOf(key);
    const nowMs = clock.now();
    if (state.waiting.length > 0 || freeAtMs(state, nowMs) > nowMs) return undefined;
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
