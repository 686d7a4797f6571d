// How one turn went, in the field names every platform shares: the "turn finished" log line and the metrics.

/** One finished turn. */
export interface TurnSummary {
  requestId: string;
  platform: string;
  conversation: string;
  /** The command, or "mention" / "follow-up". */
  command: string;
  /** The model that answered; absent for commands that call none. */
  model?: string;
  outcome: "done" | "error";
  /** The ParleyError code of a failed turn, "surface_failed" when the platform refused it, or "interrupted". */
  errorCode?: string;
  /** What refused the turn before the provider was called: a limit's name, or "access". */
  refusedBy?: string;
  /** True when the asker stopped the answer (Ctrl-C, a Stop button); the outcome is still "done". */
  stopped?: boolean;
  /** How many chat messages the reply left. */
  messages: number;
  /** From the turn's start to its first text (what the asker waits for). */
  firstTokenMs?: number;
  /** From the provider request's start to its first text (the provider's share of that wait). */
  providerFirstTokenMs?: number;
  /** From the turn's start to its last message shown. */
  ms: number;
  promptTokens?: number;
  completionTokens?: number;
  costUsd?: number;
}
