// `npm start`: the composition root. Starts every adapter whose credentials are set, on one engine.
import { loadConfig, readEnvironment } from "../src/config.ts";
import { ParleyError } from "../src/errors.ts";
import { createLogger, createSecretScrubber, type Logger } from "../src/logger.ts";
import { configSecrets } from "../src/ops/config-secrets.ts";
import { HEALTH_PATH, METRICS_PATH, type OpsServer, startOpsServer } from "../src/ops/http.ts";
import { listenFailure } from "../src/ops/network-failure.ts";
import { logProcessErrors } from "../src/ops/process-errors.ts";
import { createParley } from "../src/parley.ts";
import { storeDescription } from "../src/store/open-stores.ts";

/** How long replies in flight may take to finish on shutdown before they are marked interrupted. */
const SHUTDOWN_GRACE_MS = 10_000;

/** Something started that must be stopped on shutdown. */
interface Running {
  name: string;
  stop(): Promise<void>;
}

/** Until the configuration is read there is no secret to scrub; afterwards every message to stderr is scrubbed. */
let scrub = (text: string): string => text;
/** The process logger, once the configuration is read. */
let processLogger: Logger | undefined;

async function main(): Promise<void> {
  // Every problem at once, the missing platform included: one round of fixing, not one per variable.
  const config = loadConfig(readEnvironment(process.env), { requirePlatform: true });
  const secrets = configSecrets(config);
  scrub = createSecretScrubber(secrets);
  const logger = createLogger(config.logLevel, process.stderr, secrets);
  processLogger = logger;
  logProcessErrors(logger);

  const parley = await createParley(config, { logger, processMetrics: true });
  const { operations } = parley;
  const slackHttpMode = config.slack.botToken !== undefined && config.slack.appToken === undefined;
  const running: Running[] = [];
  let opsServer: OpsServer | undefined;
  const stopAll = async () => {
    // Stop taking turns first: every adapter's stop() then waits on this same drain before it disconnects.
    const drained = operations.lifecycle.drain(SHUTDOWN_GRACE_MS);
    await Promise.allSettled(running.map((adapter) => adapter.stop()));
    await drained;
    await opsServer?.close();
    await parley.close();
  };
  const shutdown = async (signal: string) => {
    logger.info({ signal, inFlight: operations.lifecycle.inFlight() }, "shutting down");
    await stopAll().catch((error: unknown) => logger.error({ err: error }, "shutdown failed"));
    logger.info("parley stopped");
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));

  const summary: string[] = [];
  const servedAt: string[] = [];
  try {
    // Health and metrics go on METRICS_PORT when it is set, and on Slack's HTTP port when there is one.
    if (config.metricsPort !== undefined && !(slackHttpMode && config.metricsPort === config.slack.port)) {
      const metricsPort = config.metricsPort;
      opsServer = await startOpsServer({ port: metricsPort, routes: operations.routes() }).catch(
        (error: unknown) => {
          throw listenFailure(error, "METRICS_PORT", metricsPort);
        },
      );
      logger.info({ port: opsServer.port }, "health and metrics listening");
      servedAt.push(opsLine(opsServer.port));
    }
    // Each adapter's client library is loaded only when its platform is configured: a Discord-only bot never
    // carries Bolt in memory, nor a Slack-only one discord.js.
    if (config.discord.token) {
      const { startDiscordAdapter } = await import("./discord/start.ts");
      const discord = await startDiscordAdapter({
        config,
        engine: parley.engine,
        logger,
        lifecycle: operations.lifecycle,
        controls: parley.controls,
        reporter: operations.reporter("discord"),
        stopGraceMs: SHUTDOWN_GRACE_MS,
      });
      running.push({ name: "discord", stop: discord.stop });
      summary.push(...discord.summary);
    }
    if (config.slack.botToken) {
      const { startSlackAdapter } = await import("./slack/start.ts");
      const slack = await startSlackAdapter({
        config,
        engine: parley.engine,
        logger,
        lifecycle: operations.lifecycle,
        controls: parley.controls,
        reporter: operations.reporter("slack"),
        ...(slackHttpMode ? { customRoutes: operations.routes() } : {}),
      });
      running.push({ name: "slack", stop: slack.stop });
      summary.push(...slack.summary);
      if (slack.port !== undefined) servedAt.push(opsLine(slack.port));
    }
  } catch (error) {
    // Half a bot is worse than none: an admin would not notice the platform that is missing.
    await stopAll();
    throw error;
  }
  summary.push(`Store: ${storeDescription(config.storeUrl)}`, ...servedAt);
  logger.info({ adapters: running.map((adapter) => adapter.name) }, "parley is running");
  // Logs are JSON on stderr; this summary is for the person who just started parley (and copies the invite URL).
  process.stdout.write(`parley is running.\n${summary.map((line) => `  ${line}\n`).join("")}`);
}

/** Where /healthz and /metrics answer. */
function opsLine(port: number): string {
  return `Health and metrics: http://0.0.0.0:${port}${HEALTH_PATH} and ${METRICS_PATH}`;
}

main().catch((error: unknown) => {
  if (error instanceof ParleyError) {
    // The sentence names the setting; the cause is for whoever turns the log level up.
    processLogger?.debug({ err: error.cause ?? error }, "start-up failed");
    process.stderr.write(`${scrub(error.userMessage)}\n`);
  } else {
    processLogger?.error({ err: error }, "start-up failed");
    process.stderr.write(`parley could not start: ${scrub(String(error))}\n`);
  }
  process.exit(1);
});
