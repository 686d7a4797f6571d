// Admission against usage caps, a sliding window and answers in flight: one atomic step in either backend.

/** A cap on the sum of some fields of one usage counter (see counters.ts): reached once the sum is the limit. */
export interface CounterCap {
  /** Named in the verdict when this cap refuses. */
  name: string;
  counterKey: string;
  fields: readonly string[];
  limit: number;
}

/** At most `limit` admissions under `key` in any `windowMs`. */
export interface SlidingWindow {
  key: string;
  limit: number;
  windowMs: number;
}

/** At most `limit` admissions under `key` held at once; each is freed by `release`, or by itself after `leaseMs`. */
export interface Slots {
  key: string;
  limit: number;
  leaseMs: number;
}

/** One admission to decide. */
export interface QuotaRequest {
  nowMs: number;
  /** Unique to this admission: its entry in the window and its slot. */
  id: string;
  caps: readonly CounterCap[];
  window?: SlidingWindow;
  slots?: Slots;
}

/** What the store decided; nothing is recorded unless admitted. */
export type QuotaVerdict =
  | { admitted: true }
  | { admitted: false; refusedBy: "cap"; cap: string; used: number }
  | { admitted: false; refusedBy: "window"; used: number; oldestAtMs: number }
  | { admitted: false; refusedBy: "slots"; used: number };

/** Admissions shared by every process on the store. */
export interface Quotas {
  /** Checks every cap, then the window, then the slots; when all pass, records the window entry and the slot. */
  admit(request: QuotaRequest): Promise<QuotaVerdict>;
  /** Frees the slot `id` held under `key`; safe to call more than once. */
  release(key: string, id: string): Promise<void>;
}
