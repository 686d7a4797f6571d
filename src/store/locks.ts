// A lock per conversation, so its turns run one after another; the in-process variant serves the SQLite store.
import { randomUUID } from "node:crypto";
import { ParleyError } from "../errors.ts";
import { KeyedMutex } from "./keyed-mutex.ts";

/** A conversation's lock, held by one turn. */
export interface ConversationLease {
  /** The conversation id the lease is for. */
  readonly id: string;
  /** Unique to this holding; a fenced write checks the lock still carries it. */
  readonly token: string;
  /** True until the lease is released, lost to expiry, or renewal found another holder. */
  isHeld(): boolean;
  /** Gives the lock up; safe to call more than once, never throws. */
  release(): Promise<void>;
}

/** Options of an acquisition. */
export interface AcquireOptions {
  /** How long the lock outlives a holder that stops renewing it (a crashed process). */
  leaseMs: number;
  /** Aborting gives up waiting: acquire then rejects with a conversation_busy error. */
  signal?: AbortSignal;
}

/** Locks conversations; different conversations never wait for each other. */
export interface ConversationLocks {
  /** Waits until the conversation is free and takes its lock. */
  acquire(id: string, options: AcquireOptions): Promise<ConversationLease>;
}

/** The error of a turn that could not get its conversation's lock in time. */
export function conversationBusy(cause?: unknown): ParleyError {
  return new ParleyError(
    "conversation_busy",
    "This conversation is busy with another answer; try again in a moment.",
    { cause },
  );
}

/** Locks held in this process only: enough when a single process owns the store (SQLite). */
export function inProcessLocks(): ConversationLocks {
  const mutex = new KeyedMutex();
  return {
    async acquire(id, options) {
      const releaseMutex = await mutex.acquire(id, options.signal).catch((error: unknown) => {
        throw conversationBusy(error);
      });
      let held = true;
      return {
        id,
        token: randomUUID(),
        isHeld: () => held,
        async release() {
          if (!held) return;
          held = false;
          releaseMutex();
        },
      };
    },
  };
}
