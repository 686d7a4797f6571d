// The Redis store: fails fast while Redis is unreachable, reconnects by itself, logs each loss and recovery once.
import KeyvRedis, { createClient } from "@keyv/redis";
import Keyv from "keyv";
import { withoutCredentials } from "../config.ts";
import { ParleyError } from "../errors.ts";
import { type Logger, silentLogger } from "../logger.ts";
import { failureReason } from "../ops/network-failure.ts";
import { BoundedKeyvStore, boundedClient, withinMs } from "./bounded-redis.ts";
import { redisCounters } from "./counters.ts";
import { CONVERSATION_TTL_MS } from "./history.ts";
import type { StoreOptions, Stores } from "./open-stores.ts";
import { redisHistory } from "./redis-history.ts";
import { redisLocks } from "./redis-locks.ts";
import { redisQuotas } from "./redis-quotas.ts";

/** Longest pause between two reconnection attempts. */
const LONGEST_RECONNECT_PAUSE_MS = 2000;

/** Connects to the Redis at `url` (waiting at most redisStartupTimeoutMs) and builds the store on it. */
export async function openRedis(url: string, options: StoreOptions): Promise<Stores> {
  const shownUrl = withoutCredentials(url);
  const client = createClient({
    url,
    // Commands sent while disconnected fail at once instead of waiting, unbounded, for Redis to come back.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: options.redisConnectTimeoutMs ?? 2000,
      reconnectStrategy: (retries: number) =>
        Math.min(100 * 2 ** retries, LONGEST_RECONNECT_PAUSE_MS) + Math.floor(Math.random() * 100),
    },
  });
  watchConnection(client, options.logger, shownUrl);
  await connectWithin(client, options.redisStartupTimeoutMs ?? 10_000, shownUrl);
  const commandTimeoutMs = options.redisCommandTimeoutMs ?? 2000;
  const bounded = boundedClient(client, commandTimeoutMs);
  // A Redis that wants a password accepts the connection and refuses only the first command.
  await bounded.ping().catch((error: unknown) => {
    client.destroy();
    throw redisStartupFailure(error, shownUrl);
  });

  const namespace = (name: string) =>
    new Keyv({
      // The adapter's parameter type is wider in its generics than the client this options object infers.
      store: new BoundedKeyvStore(
        new KeyvRedis(client as unknown as ConstructorParameters<typeof KeyvRedis>[0], {
          namespace: name,
          throwOnErrors: true,
        }),
        commandTimeoutMs,
      ),
      namespace: name,
      useKeyPrefix: false,
      throwOnErrors: true,
    });
  return {
    history: redisHistory(bounded, namespace("history"), CONVERSATION_TTL_MS),
    settings: namespace("settings"),
    controls: namespace("controls"),
    counters: redisCounters(bounded),
    quotas: redisQuotas(bounded),
    locks: redisLocks(bounded, options.logger ?? silentLogger()),
    kind: "redis",
    async ping() {
      await bounded.ping();
    },
    async claimOnce(id, ttlMs) {
      const answer = await bounded.set(`parley:claimed:${id}`, "1", {
        condition: "NX",
        expiration: { type: "PX", value: ttlMs },
      });
      return answer === "OK";
    },
    async close() {
      if (!client.isOpen) return;
      // A graceful close waits for Redis to answer; when it is gone or frozen, drop the socket instead.
      if (client.isReady) await withinMs(client.close(), commandTimeoutMs).catch(() => client.destroy());
      else client.destroy();
    },
  };
}

/** The parts of a node-redis client its connection handling uses. */
interface ConnectionControl {
  on(event: "ready" | "error", listener: (error?: unknown) => void): unknown;
  off(event: "error", listener: (error?: unknown) => void): unknown;
  connect(): Promise<unknown>;
  destroy(): void;
}

/** Logs "lost" when a working connection breaks and "recovered" when it works again, once per transition. */
function watchConnection(client: ConnectionControl, logger: Logger | undefined, shownUrl: string): void {
  let connected = false;
  let everConnected = false;
  client.on("ready", () => {
    if (connected) return;
    connected = true;
    if (everConnected) logger?.info({ store: "redis", url: shownUrl }, "store connection recovered");
    everConnected = true;
  });
  client.on("error", (error: unknown) => {
    // node-redis emits every failed attempt; only the first after a working connection is news.
    if (!connected) return;
    connected = false;
    logger?.warn(
      { store: "redis", url: shownUrl, error: error instanceof Error ? error.message : String(error) },
      "store connection lost; reconnecting",
    );
  });
}

/**
 * Connects, or gives up with a config error naming the (redacted) URL and why: at once when Redis refuses the
 * password, after `timeoutMs` when it cannot be reached (it may still be starting).
 */
async function connectWithin(client: ConnectionControl, timeoutMs: number, shownUrl: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let lastError: unknown;
  let refuse: (error: ParleyError) => void = () => undefined;
  const refused = new Promise<never>((_, reject) => {
    refuse = reject;
  });
  // node-redis reports every failed attempt here while it keeps retrying.
  const onError = (error: unknown): void => {
    lastError = error;
    if (redisAuthFailure(error)) refuse(redisStartupFailure(error, shownUrl));
  };
  client.on("error", onError);
  const connecting = client.connect();
  const gaveUp = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    const outcome = await Promise.race([connecting, gaveUp, refused]);
    if (outcome !== "timeout") return;
    const reason = lastError === undefined ? "no answer" : failureReason(lastError);
    throw new ParleyError(
      "config",
      `STORE_URL: could not connect to Redis at ${shownUrl} within ${timeoutMs / 1000} s (${reason}): ` +
        "check that Redis is running there, or correct STORE_URL",
    );
  } catch (error) {
    connecting.catch(() => undefined);
    client.destroy();
    if (error instanceof ParleyError) throw error;
    throw redisStartupFailure(error, shownUrl);
  } finally {
    clearTimeout(timer);
    client.off("error", onError);
  }
}

/** The first word of a Redis error that refuses the credentials (WRONGPASS, NOAUTH…), else undefined. */
function redisAuthFailure(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : "";
  return /^(WRONGPASS|NOAUTH|ERR AUTH|ERR invalid password)\b/.exec(message)?.[1];
}

/** A start-up failure of the Redis store as one sentence naming STORE_URL; the password is never shown. */
function redisStartupFailure(error: unknown, shownUrl: string): ParleyError {
  const refusal = redisAuthFailure(error);
  if (refusal === "NOAUTH") {
    return new ParleyError(
      "config",
      `STORE_URL: Redis at ${shownUrl} requires a password (NOAUTH): put it in STORE_URL as redis://:password@host:port`,
      { cause: error },
    );
  }
  if (refusal) {
    return new ParleyError(
      "config",
      `STORE_URL: Redis at ${shownUrl} refused the user or password (${refusal}): check them in STORE_URL`,
      { cause: error },
    );
  }
  const reason = failureReason(error);
  return new ParleyError(
    "config",
    `STORE_URL: could not use Redis at ${shownUrl} (${reason}): check that Redis is running there, or correct STORE_URL`,
    { cause: error },
  );
}
