// `npm start`: the composition root. Starts every adapter whose credentials are set, on one engine.
import { loadConfig, readEnvironment } from "../src/config.ts";
import { ParleyError } from "../src/errors.ts";
import { createLogger, createSecretScrubber } from "../src/logger.ts";
import { configSecrets } from "../src/ops/config-secrets.ts";
import { type OpsServer, startOpsServer } from "../src/ops/http.ts";
import { logProcessErrors } from "../src/ops/process-errors.ts";
import { createParley } from "../src/parley.ts";
import { startDiscordAdapter } from "./discord/start.ts";
import { startSlackAdapter } from "./slack/start.ts";

/** How long replies in flight may take to finish on shutdown before they are marked interrupted. */
const SHUTDOWN_GRACE_MS = 10_000;

/** Something started that must be stopped on shutdown. */
interface Running {
  name: string;
  stop(): Promise<void>;
}

/** Until the configuration is read there is no secret to scrub; afterwards every message to stderr is scrubbed. */
let scrub = (text: string): string => text;

async function main(): Promise<void> {
  // Every problem at once, the missing platform included: one round of fixing, not one per variable.
  const config = loadConfig(readEnvironment(process.env), { requirePlatform: true });
  const secrets = configSecrets(config);
  scrub = createSecretScrubber(secrets);
  const logger = createLogger(config.logLevel, process.stderr, secrets);
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

  try {
    // Health and metrics go on METRICS_PORT when it is set, and on Slack's HTTP port when there is one.
    if (config.metricsPort !== undefined && !(slackHttpMode && config.metricsPort === config.slack.port)) {
      opsServer = await startOpsServer({ port: config.metricsPort, routes: operations.routes() });
      logger.info({ port: opsServer.port }, "health and metrics listening");
    }
    if (config.discord.token) {
      const discord = await startDiscordAdapter({
        config,
        engine: parley.engine,
        logger,
        lifecycle: operations.lifecycle,
        reporter: operations.reporter("discord"),
        stopGraceMs: SHUTDOWN_GRACE_MS,
      });
      running.push({ name: "discord", stop: discord.stop });
    }
    if (config.slack.botToken) {
      const slack = await startSlackAdapter({
        config,
        engine: parley.engine,
        logger,
        lifecycle: operations.lifecycle,
        reporter: operations.reporter("slack"),
        ...(slackHttpMode ? { customRoutes: operations.routes() } : {}),
      });
      running.push({ name: "slack", stop: slack.stop });
    }
  } catch (error) {
    // Half a bot is worse than none: an admin would not notice the platform that is missing.
    await stopAll();
    throw error;
  }
  logger.info({ adapters: running.map((adapter) => adapter.name) }, "parley is running");
}

main().catch((error: unknown) => {
  process.stderr.write(`${scrub(error instanceof ParleyError ? error.userMessage : String(error))}\n`);
  process.exit(1);
});
