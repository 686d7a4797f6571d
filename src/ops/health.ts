// Health: is the store answering and is every adapter connected? Read by GET /healthz.
import type { Logger } from "../logger.ts";

/** The store as health sees it: its kind and a trivial request. */
export interface StoreProbe {
  kind: string;
  ping(): Promise<void>;
}

/** The /healthz body: names each adapter and the store, never a secret. */
export interface HealthReport {
  status: "ok" | "unavailable";
  store: { kind: string; ok: boolean };
  adapters: Record<string, { connected: boolean }>;
}

/** Collects connection states and checks the store on demand. */
export interface Health {
  /** An adapter's connection changed (adapters report this and nothing else). */
  setConnected(adapter: string, connected: boolean): void;
  /** Pings the store (bounded) and reports; status "ok" only when the store and every adapter are up. */
  check(): Promise<HealthReport>;
}

/** A ping slower than this counts as a store that is down: a load balancer must not hang on /healthz. */
export const STORE_PING_TIMEOUT_MS = 2_000;

/** Creates the health state of one process. */
export function createHealth(options: { store: StoreProbe; logger: Logger; pingTimeoutMs?: number }): Health {
  const adapters = new Map<string, boolean>();
  const pingTimeoutMs = options.pingTimeoutMs ?? STORE_PING_TIMEOUT_MS;
  let storeWasOk = true;

  const pingStore = async (): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<Error>((resolve) => {
      timer = setTimeout(() => resolve(new Error(`no answer within ${pingTimeoutMs} ms`)), pingTimeoutMs);
    });
    const failure = await Promise.race([
      options.store.ping().then(
        () => undefined,
        (error: unknown) => error,
      ),
      timedOut,
    ]);
    clearTimeout(timer);
    const ok = failure === undefined;
    // Once per change, not once per probe: a scraper asks every few seconds.
    if (ok !== storeWasOk) {
      if (ok) options.logger.info({ store: options.store.kind }, "store reachable again");
      else options.logger.error({ store: options.store.kind, err: failure }, "store unreachable");
      storeWasOk = ok;
    }
    return ok;
  };

  return {
    setConnected(adapter, connected) {
      const before = adapters.get(adapter);
      adapters.set(adapter, connected);
      if (before !== undefined && before !== connected) {
        if (connected) options.logger.info({ adapter }, "adapter connected again");
        else options.logger.warn({ adapter }, "adapter disconnected");
      }
    },
    async check() {
      const storeOk = await pingStore();
      const states = Object.fromEntries([...adapters].map(([name, connected]) => [name, { connected }]));
      const allConnected = [...adapters.values()].every(Boolean);
      return {
        status: storeOk && allConnected ? "ok" : "unavailable",
        store: { kind: options.store.kind, ok: storeOk },
        adapters: states,
      };
    },
  };
}
