// Bounds every Redis call parley makes: node-redis times a command out only while it waits to be written, so a
// frozen or unreachable server that still holds the connection open would otherwise keep a call waiting forever.
import { EventEmitter } from "node:events";
import type { KeyvStoreAdapter, StoredData } from "keyv";
import type { RedisCounterClient } from "./counters.ts";
import type { RedisLockClient } from "./redis-locks.ts";

/** Resolves or rejects as `promise` does, or rejects once `timeoutMs` passed without an answer. */
export function withinMs<Value>(promise: Promise<Value>, timeoutMs: number): Promise<Value> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timedOut]).finally(() => clearTimeout(timer));
}

/** What parley calls on a node-redis client directly. */
export interface ParleyRedisClient extends RedisLockClient, RedisCounterClient {
  ping(): Promise<unknown>;
}

/** The same calls on `client`, each failing after `timeoutMs`. */
export function boundedClient(client: ParleyRedisClient, timeoutMs: number): ParleyRedisClient {
  return {
    eval: (script, options) => withinMs(client.eval(script, options), timeoutMs),
    set: (key, value, options) => withinMs(client.set(key, value, options), timeoutMs),
    hGetAll: (key) => withinMs(client.hGetAll(key), timeoutMs),
    ping: () => withinMs(client.ping(), timeoutMs),
  };
}

/** A keyv storage adapter whose every call fails after `timeoutMs` (wraps @keyv/redis). */
export class BoundedKeyvStore extends EventEmitter implements KeyvStoreAdapter {
  opts: unknown;
  namespace?: string;
  private readonly inner: KeyvStoreAdapter;
  private readonly timeoutMs: number;

  constructor(inner: KeyvStoreAdapter, timeoutMs: number) {
    super();
    this.inner = inner;
    this.timeoutMs = timeoutMs;
    this.opts = inner.opts;
    this.namespace = inner.namespace;
  }

  get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    return withinMs(this.inner.get<Value>(key), this.timeoutMs);
  }

  async set(key: string, value: unknown, ttl?: number): Promise<void> {
    await withinMs(Promise.resolve(this.inner.set(key, value, ttl)), this.timeoutMs);
  }

  delete(key: string): Promise<boolean> {
    return withinMs(this.inner.delete(key), this.timeoutMs);
  }

  clear(): Promise<void> {
    return withinMs(this.inner.clear(), this.timeoutMs);
  }

  async has(key: string): Promise<boolean> {
    if (this.inner.has) return withinMs(this.inner.has(key), this.timeoutMs);
    return (await this.get(key)) !== undefined;
  }
}
