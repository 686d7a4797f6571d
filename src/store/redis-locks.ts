// Conversation locks shared by every process on one Redis: SET NX PX, renewed while held, released by token.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../logger.ts";
import { KeyedMutex } from "./keyed-mutex.ts";
import { type ConversationLease, type ConversationLocks, conversationBusy } from "./locks.ts";
import { lockKey, type RedisScriptClient } from "./redis-keys.ts";

/** The part of a node-redis client the locks use. */
export interface RedisLockClient extends RedisScriptClient {
  set(
    key: string,
    value: string,
    options: { condition: "NX"; expiration: { type: "PX"; value: number } },
  ): Promise<unknown>;
}

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** First and longest pause between two attempts to take a lock someone else holds. */
const FIRST_RETRY_MS = 10;
const LONGEST_RETRY_MS = 200;

/**
 * Locks in Redis. Waiters of this process queue in order on an in-process mutex first, so only one of them polls
 * Redis per conversation; processes then compete by polling with a small, growing, jittered pause.
 */
export function redisLocks(client: RedisLockClient, logger: Logger): ConversationLocks {
  const local = new KeyedMutex();
  return {
    async acquire(id, { leaseMs, signal }) {
      const releaseLocal = await local.acquire(id, signal).catch((error: unknown) => {
        throw conversationBusy(error);
      });
      const token = randomUUID();
      try {
        let pauseMs = FIRST_RETRY_MS;
        for (;;) {
          if (signal?.aborted) throw conversationBusy(signal.reason);
          const startedAtMs = Date.now();
          const taken = await client.set(lockKey(id), token, {
            condition: "NX",
            expiration: { type: "PX", value: leaseMs },
          });
          if (taken === "OK")
            return heldLease(client, logger, { id, token, leaseMs, startedAtMs, releaseLocal });
          await sleep(pauseMs * (0.5 + Math.random()), undefined, { signal }).catch((error: unknown) => {
            throw conversationBusy(error);
          });
          pauseMs = Math.min(pauseMs * 2, LONGEST_RETRY_MS);
        }
      } catch (error) {
        releaseLocal();
        throw error;
      }
    },
  };
}

/** A lease that renews itself every third of its length until released or found taken by someone else. */
function heldLease(
  client: RedisLockClient,
  logger: Logger,
  held: { id: string; token: string; leaseMs: number; startedAtMs: number; releaseLocal: () => void },
): ConversationLease {
  const { id, token, leaseMs } = held;
  // The lock surely holds until this instant: measured from when the request that set or renewed it was sent.
  let validUntilMs = held.startedAtMs + leaseMs;
  let state: "held" | "lost" | "released" = "held";
  const renewal = setInterval(
    async () => {
      const sentAtMs = Date.now();
      try {
        const renewed = await client.eval(RENEW, {
          keys: [lockKey(id)],
          arguments: [token, String(leaseMs)],
        });
        if (state !== "held") return;
        if (renewed === 1) validUntilMs = sentAtMs + leaseMs;
        else {
          state = "lost";
          clearInterval(renewal);
          logger.warn(
            { conversation: id },
            "lost the conversation's lock: it expired before it could be renewed",
          );
        }
      } catch (error) {
        // The lease stays valid until validUntilMs; the next tick tries again.
        logger.debug({ conversation: id, err: error }, "could not renew the conversation's lock");
      }
    },
    Math.max(1, Math.floor(leaseMs / 3)),
  );
  renewal.unref();
  return {
    id,
    token,
    isHeld: () => state === "held" && Date.now() < validUntilMs,
    async release() {
      if (state === "released") return;
      state = "released";
      clearInterval(renewal);
      try {
        await client.eval(RELEASE, { keys: [lockKey(id)], arguments: [token] });
      } catch (error) {
        // It expires by itself after leaseMs.
        logger.warn({ conversation: id, err: error }, "could not release the conversation's lock");
      } finally {
        // The next waiter of this process starts polling only once Redis has let go.
        held.releaseLocal();
      }
    },
  };
}
