// `npm start`: the composition root. Starts every adapter whose credentials are set, on one engine.
import { loadConfig, readEnvironment } from "../src/config.ts";
import { ParleyError } from "../src/errors.ts";
import { createLogger } from "../src/logger.ts";
import { createParley } from "../src/parley.ts";
import { startDiscordAdapter } from "./discord/start.ts";
import { startSlackAdapter } from "./slack/start.ts";

/** Something started that must be stopped on shutdown. */
interface Running {
  name: string;
  stop(): Promise<void>;
}

async function main(): Promise<void> {
  const config = loadConfig(readEnvironment(process.env));
  if (!config.discord.token && !config.slack.botToken) {
    process.stderr.write(
      "No chat platform is configured. Set DISCORD_TOKEN for Discord, or SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET " +
        "(HTTP mode) or SLACK_APP_TOKEN (Socket Mode) for Slack — in the environment or in .env. " +
        "To try parley without a platform, run `npm run chat`.\n",
    );
    process.exitCode = 1;
    return;
  }
  const logger = createLogger(config.logLevel);
  // A bug in one handler must not take the bot down for everyone: log it and carry on.
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection"));
  process.on("uncaughtException", (error) => logger.error({ err: error }, "uncaught exception"));

  const parley = await createParley(config, { logger });
  const running: Running[] = [];
  const stopAll = async () => {
    await Promise.allSettled(running.map((adapter) => adapter.stop()));
    await parley.close();
  };
  const shutdown = async (signal: string) => {
    logger.info({ signal }, "shutting down");
    await stopAll();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));

  try {
    if (config.discord.token) {
      const discord = await startDiscordAdapter({ config, engine: parley.engine, logger });
      running.push({ name: "discord", stop: discord.stop });
    }
    if (config.slack.botToken) {
      const slack = await startSlackAdapter({ config, engine: parley.engine, logger });
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
  process.stderr.write(`${error instanceof ParleyError ? error.userMessage : String(error)}\n`);
  process.exit(1);
});
