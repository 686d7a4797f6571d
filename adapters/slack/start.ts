// Starts the Slack adapter: a Bolt App in Socket Mode (SLACK_APP_TOKEN) or HTTP mode (/slack/events on PORT).
import type { AddressInfo } from "node:net";
import { App, SocketModeReceiver, webApi } from "@slack/bolt";
import type { Config } from "../../src/config.ts";
import type { ReplyControls } from "../../src/controls/reply-controls.ts";
import { ParleyError } from "../../src/errors.ts";
import type { Logger } from "../../src/logger.ts";
import type { OpsRoute } from "../../src/ops/http.ts";
import { listenFailure } from "../../src/ops/network-failure.ts";
import { type AdapterReporter, UNREPORTED } from "../../src/ops/operations.ts";
import { createTurnLifecycle, type TurnLifecycle } from "../../src/ops/turn-lifecycle.ts";
import { type BudgetRate, createEditPacer } from "../../src/render/edit-pacer.ts";
import type { Engine } from "../../src/types.ts";
import { createAdminStatus } from "./admin-status.ts";
import { registerAgentListeners } from "./agent.ts";
import { createAnswerer } from "./answer.ts";
import { createParleyAssistant } from "./assistant.ts";
import { createBoltLogger } from "./bolt-logger.ts";
import { registerCommandListeners } from "./commands.ts";
import { registerAgentSessionStop, registerControlActions } from "./control-actions.ts";
import { createSlackFileReader } from "./files.ts";
import type { SlackHandlerDependencies } from "./handler-dependencies.ts";
import { SLACK_EDIT_INTERVAL_MS, SLACK_STOP_GRACE_MS, SLACK_UPDATE_BUDGET } from "./limits.ts";
import { SLACK_EVENTS_PATH } from "./manifest.ts";
import { registerMessageActions } from "./message-actions.ts";
import { registerMessageListeners } from "./messages.ts";
import { slackStartupFailure, socketModeStalled } from "./startup-failures.ts";
import { createStreamingWorkspaces } from "./streaming-workspaces.ts";
import { describeSlackError } from "./surface.ts";
import { createDisplayNames } from "./user-names.ts";
import { createViewingContexts } from "./viewing-context.ts";

export { SLACK_EVENTS_PATH } from "./manifest.ts";

/**
 * Streaming edits are worthless half an hour late (the SDK's default retry policy): retry a failed Web API call
 * twice, quickly. Rate-limited calls still wait for Slack's Retry-After.
 */
const WEB_API_RETRIES: webApi.RetryOptions = { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 3_000 };

/** How long Socket Mode may take to open its WebSocket at start-up before start-up gives up. */
export const SOCKET_MODE_CONNECT_TIMEOUT_MS = 30_000;

/** What the adapter is started with. */
export interface SlackAdapterOptions {
  config: Config;
  engine: Engine;
  logger: Logger;
  /** The process's turn lifecycle (default: one of the adapter's own, without metrics). */
  lifecycle?: TurnLifecycle;
  /** Stop and feedback presses (the core's `parley.controls`); without them answers carry no controls. */
  controls?: ReplyControls;
  /** Where the connection and Slack's rate limits are reported (health, metrics). */
  reporter?: AdapterReporter;
  /** HTTP mode: more routes on the events server (GET /healthz and /metrics). */
  customRoutes?: OpsRoute[];
  /** HTTP mode: the port to listen on instead of config.slack.port (0 picks a free one). */
  port?: number;
  /** HTTP mode: the interface to listen on (default: all). */
  host?: string;
  /** The fetch used for Web API calls, file downloads and response_url posts (default: global fetch). */
  fetch?: typeof fetch;
  /** Least time between two edits of one message (default SLACK_EDIT_INTERVAL_MS; tests shorten it). */
  editIntervalMs?: number;
  /** chat.update calls per workspace that every answer shares (default SLACK_UPDATE_BUDGET, Slack's Tier 3). */
  editBudget?: BudgetRate;
  /** Socket Mode: longest wait for the WebSocket at start-up (default SOCKET_MODE_CONNECT_TIMEOUT_MS). */
  socketConnectTimeoutMs?: number;
  /**
   * Streams answers in threads natively (chat.startStream) where Slack allows it (default true); false keeps every
   * answer on chat.postMessage + chat.update.
   */
  nativeStreaming?: boolean;
}

/** A running Slack adapter. */
export interface RunningSlackAdapter {
  app: App;
  /** HTTP mode: the port the events endpoint listens on; undefined in Socket Mode. */
  port: number | undefined;
  /** What the adapter is connected to, for the start-up summary. */
  summary: string[];
  /** Resolves once no answer is being written (answers started later are not waited for). */
  idle(): Promise<void>;
  /** Stops taking events (in Socket Mode: until the socket is closed), then drains the lifecycle. */
  stop(): Promise<void>;
}

/** Starts Bolt with parley's listeners; resolves once Slack accepted the token and events can arrive. */
export async function startSlackAdapter(options: SlackAdapterOptions): Promise<RunningSlackAdapter> {
  const { config, engine, logger } = options;
  const { botToken, signingSecret, appToken, apiUrl } = config.slack;
  if (!botToken) throw new ParleyError("config", "SLACK_BOT_TOKEN: required to start the Slack adapter");
  if (!appToken && !signingSecret) {
    throw new ParleyError(
      "config",
      "SLACK_SIGNING_SECRET: required in HTTP mode (or set SLACK_APP_TOKEN to use Socket Mode)",
    );
  }
  const boltLogger = createBoltLogger(logger);
  const fetchOption = options.fetch ? { fetch: options.fetch } : {};
  const clientOptions: webApi.WebClientOptions = {
    slackApiUrl: apiUrl,
    retryConfig: WEB_API_RETRIES,
    timeout: 15_000,
    ...fetchOption,
  };
  // Socket Mode's client keeps its own, more patient, retry policy for apps.connections.open.
  const socketReceiver = appToken
    ? new SocketModeReceiver({
        appToken,
        logger: boltLogger,
        installerOptions: { clientOptions: { slackApiUrl: apiUrl, ...fetchOption } },
      })
    : undefined;
  const app = new App({
    token: botToken,
    ...(socketReceiver
      ? { receiver: socketReceiver }
      : {
          signingSecret,
          endpoints: SLACK_EVENTS_PATH,
          ...(options.customRoutes ? { customRoutes: options.customRoutes } : {}),
        }),
    clientOptions,
    logger: boltLogger,
    // auth.test runs in init(), where a bad token fails start-up instead of every later event.
    deferInitialization: true,
  });
  const handlers = trackListeners(app);
  app.error(async (error) => {
    logger.error({ code: error.code, err: describeSlackError(error) }, "slack listener failed");
  });

  const { controls } = options;
  const lifecycle =
    options.lifecycle ?? createTurnLifecycle({ engine, logger, ...(controls ? { controls } : {}) });
  const reporter = options.reporter ?? UNREPORTED;
  watchRateLimits(app, reporter);
  if (socketReceiver) {
    const socket = socketReceiver.client;
    socket.on("connected", () => reporter.connected(true));
    // "close" comes first when the socket drops; the client then reconnects by itself.
    for (const down of ["close", "reconnecting", "disconnected"])
      socket.on(down, () => reporter.connected(false));
  }
  const answerer = createAnswerer(lifecycle, logger, controls);
  const deps: SlackHandlerDependencies = {
    engine,
    logger,
    answerer,
    displayName: createDisplayNames(logger),
    adminStatus: createAdminStatus(),
    editIntervalMs: options.editIntervalMs ?? SLACK_EDIT_INTERVAL_MS,
    editPacer: createEditPacer(options.editBudget ?? SLACK_UPDATE_BUDGET),
    streaming: createStreamingWorkspaces(options.nativeStreaming ?? true),
    readAttachment: createSlackFileReader({ botToken, apiUrl, ...fetchOption }),
  };
  // What each user is viewing in Slack, offered with their next DM question.
  const viewing = createViewingContexts();
  app.assistant(createParleyAssistant(deps, viewing));
  registerAgentListeners(app, deps, viewing);
  registerMessageListeners(app, deps, viewing);
  registerCommandListeners(app, deps, config.commandPrefix);
  registerMessageActions(app, deps);
  if (controls) {
    registerControlActions(app, deps, controls);
    registerAgentSessionStop(app, controls);
  }

  // auth.test runs in init(); asking again afterwards names the workspace and the bot for the summary.
  const identity = await app
    .init()
    .then(() => app.client.auth.test())
    .catch((error: unknown) => {
      throw slackStartupFailure(error, "auth.test", apiUrl);
    });
  const connectedTo = `Slack: connected to workspace ${identity.team ?? identity.team_id} as @${identity.user}`;
  let port: number | undefined;
  let summary: string;
  if (socketReceiver) {
    await startSocketMode(
      app,
      socketReceiver,
      options.socketConnectTimeoutMs ?? SOCKET_MODE_CONNECT_TIMEOUT_MS,
    ).catch((error: unknown) => {
      throw slackStartupFailure(error, "apps.connections.open", apiUrl);
    });
    summary = `${connectedTo} via Socket Mode`;
    logger.info({ mode: "socket", team: identity.team_id, user: identity.user }, "slack adapter started");
  } else {
    const listenPort = options.port ?? config.slack.port;
    const server = await app
      .start(options.host ? { port: listenPort, host: options.host } : listenPort)
      .catch((error: unknown) => {
        throw listenFailure(error, "PORT", listenPort);
      });
    port = (server.address() as AddressInfo).port;
    reporter.connected(true);
    summary = `${connectedTo}, receiving events at http://${options.host ?? "0.0.0.0"}:${port}${SLACK_EVENTS_PATH}`;
    logger.info(
      { mode: "http", port, path: SLACK_EVENTS_PATH, team: identity.team_id, user: identity.user },
      "slack adapter started",
    );
  }

  return {
    app,
    port,
    summary: [summary],
    async idle() {
      // An event may still be between its delivery and its turn (claiming, posting the placeholder): wait for
      // the listeners first, then for the answers they started.
      await handlers.settled();
      await lifecycle.settled();
    },
    async stop() {
      if (socketReceiver) {
        // app.stop() returns before the socket is closed; the client's disconnect() waits for it.
        await socketReceiver.client.disconnect();
      } else {
        await app.stop();
      }
      reporter.connected(false);
      await lifecycle.drain(SLACK_STOP_GRACE_MS);
      logger.info("slack adapter stopped");
    },
  };
}

/**
 * Starts Socket Mode, giving up after `timeoutMs`: once apps.connections.open answered, the client retries a
 * WebSocket that will not open for ever, and start-up would wait silently.
 */
async function startSocketMode(app: App, receiver: SocketModeReceiver, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<"stalled">((resolve) => {
    timer = setTimeout(() => resolve("stalled"), timeoutMs);
  });
  try {
    const outcome = await Promise.race([app.start(), stalled]);
    if (outcome !== "stalled") return;
  } finally {
    clearTimeout(timer);
  }
  // Stop the retries; the socket may never have opened, so its close is not waited for.
  void receiver.client.disconnect().catch(() => undefined);
  throw socketModeStalled(timeoutMs);
}

/**
 * Counts Slack's 429s. Bolt gives listeners a WebClient per workspace from a pool, not `app.client`: subscribe to
 * each client once, as it first passes through.
 */
function watchRateLimits(app: App, reporter: AdapterReporter): void {
  const watched = new WeakSet<webApi.WebClient>();
  const watch = (client: webApi.WebClient): void => {
    if (watched.has(client)) return;
    watched.add(client);
    client.on(webApi.WebClientEvent.RATE_LIMITED, () => reporter.rateLimited());
  };
  watch(app.client);
  app.use(async ({ client, next }) => {
    watch(client);
    await next();
  });
}

/** Counts the events whose listeners are still running, so `idle()` also covers turns not yet started. */
function trackListeners(app: App): { settled(): Promise<void> } {
  let running = 0;
  const waiting: (() => void)[] = [];
  app.use(async ({ next }) => {
    running += 1;
    try {
      await next();
    } finally {
      running -= 1;
      if (running === 0) for (const resolve of waiting.splice(0)) resolve();
    }
  });
  return {
    settled: () =>
      running === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve)),
  };
}
