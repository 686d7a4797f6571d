// Wires the core from a Config: store, provider client, model catalog, engine and its operations.
import OpenAI from "openai";
import type { Config } from "./config.ts";
import { createReplyControls, type ReplyControls } from "./controls/reply-controls.ts";
import { createEngine } from "./engine/create-engine.ts";
import { createLogger, type Logger } from "./logger.ts";
import { loadModelCatalog } from "./models/catalog.ts";
import { configSecrets } from "./ops/config-secrets.ts";
import { createOperations, type Operations } from "./ops/operations.ts";
import { openStores } from "./store/open-stores.ts";
import type { Engine } from "./types.ts";

/** A running core, ready for adapters. */
export interface Parley {
  engine: Engine;
  config: Config;
  logger: Logger;
  /** The turn lifecycle every adapter runs its turns through, metrics and health. */
  operations: Operations;
  /** Stop and feedback presses on replies' controls; adapters pass presses here. */
  controls: ReplyControls;
  /** Closes the store; call after the adapters stopped. */
  close(): Promise<void>;
}

/** Opens the store, resolves the models against the provider's list and builds the engine. */
export async function createParley(
  config: Config,
  options: {
    logger?: Logger;
    fetch?: typeof fetch;
    idleTimeoutMs?: number;
    maxRetries?: number;
    /** Collect Node's process metrics into the registry (default false; `npm start` turns it on). */
    processMetrics?: boolean;
    /** The clock of usage days and months, limits and retention (default the system clock). */
    now?: () => Date;
  } = {},
): Promise<Parley> {
  const logger = options.logger ?? createLogger(config.logLevel, process.stderr, configSecrets(config));
  const now = options.now;
  const stores = await openStores(config.storeUrl, {
    logger,
    ...(now ? { now: () => now().getTime() } : {}),
  });
  const client = new OpenAI({
    apiKey: config.aimlApiKey,
    baseURL: config.aimlBaseUrl,
    // The SDK retries 408/409/429/5xx with backoff and honours Retry-After.
    maxRetries: options.maxRetries ?? 2,
    timeout: 120_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const catalog = await loadModelCatalog({
    baseUrl: config.aimlBaseUrl,
    configured: config.models,
    allowed: config.allowedModels,
    logger,
    fetch: options.fetch,
  });
  logger.info({ store: stores.kind, live: catalog.live, search: catalog.searchModel.id }, "engine ready");
  const engine = createEngine({
    config,
    stores,
    client,
    catalog,
    logger,
    idleTimeoutMs: options.idleTimeoutMs,
    ...(options.now ? { now: options.now } : {}),
  });
  const controls = createReplyControls({
    store: stores.controls,
    counters: stores.counters,
    shared: stores.kind === "redis",
    adminUsers: config.policy.adminUsers,
    logger,
    ...(options.now ? { now: options.now } : {}),
  });
  const operations = createOperations({
    engine,
    controls,
    store: { kind: stores.kind, ping: () => stores.ping() },
    logger,
    ...(options.processMetrics === undefined ? {} : { processMetrics: options.processMetrics }),
  });
  return {
    engine,
    config,
    logger,
    operations,
    controls,
    close: () => stores.close(),
  };
}
