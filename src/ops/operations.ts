// Operations beside the core: the turn lifecycle, metrics and health of one process, and what adapters report.
import type { ReplyControls } from "../controls/reply-controls.ts";
import type { Logger } from "../logger.ts";
import type { Engine } from "../types.ts";
import { createHealth, type Health, type StoreProbe } from "./health.ts";
import { createOpsRoutes, type OpsRoute } from "./http.ts";
import { createMetrics, type ParleyMetrics } from "./metrics.ts";
import { createTurnLifecycle, type TurnLifecycle } from "./turn-lifecycle.ts";

/** What one adapter reports: its connection (for /healthz) and the platform's rate limits (for /metrics). */
export interface AdapterReporter {
  connected(isConnected: boolean): void;
  rateLimited(): void;
}

/** The operations of one process. */
export interface Operations {
  lifecycle: TurnLifecycle;
  metrics: ParleyMetrics;
  health: Health;
  /** The reporter of the adapter called `name` ("discord", "slack"); it counts as disconnected until it says. */
  reporter(name: string): AdapterReporter;
  /** GET /healthz and GET /metrics. */
  routes(): OpsRoute[];
}

/** Builds the operations around an engine and its store. */
export function createOperations(options: {
  engine: Engine;
  store: StoreProbe;
  logger: Logger;
  /** Also collect Node's process metrics (default false: only the real process wants them, not every test). */
  processMetrics?: boolean;
  /** The controls Stop presses reach turns through. */
  controls?: ReplyControls;
}): Operations {
  const metrics = createMetrics({ processMetrics: options.processMetrics ?? false });
  const health = createHealth({ store: options.store, logger: options.logger });
  const lifecycle = createTurnLifecycle({
    engine: options.engine,
    logger: options.logger,
    metrics,
    ...(options.controls ? { controls: options.controls } : {}),
  });
  return {
    lifecycle,
    metrics,
    health,
    reporter(name) {
      health.setConnected(name, false);
      return {
        connected: (isConnected) => health.setConnected(name, isConnected),
        rateLimited: () => metrics.rateLimited(name),
      };
    },
    routes: () => createOpsRoutes({ health, metrics, logger: options.logger }),
  };
}

/** A reporter that goes nowhere, for adapters started without operations (tests). */
export const UNREPORTED: AdapterReporter = { connected: () => undefined, rateLimited: () => undefined };
