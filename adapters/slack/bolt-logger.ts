// Hands Bolt's and the Slack SDK's log lines to parley's pino logger, so they are structured and filtered alike.
import { LogLevel, type Logger as SlackLogger } from "@slack/bolt";
import type { Logger } from "../../src/logger.ts";

/** Bolt passes strings, errors and objects; one line of text is enough for its messages. */
function describe(parts: unknown[]): string {
  return parts
    .map((part) =>
      part instanceof Error ? part.message : typeof part === "string" ? part : JSON.stringify(part),
    )
    .join(" ");
}

/** A Bolt Logger writing to `logger` (child "slack"); its own setLevel is ignored in favour of parley's level. */
export function createBoltLogger(logger: Logger): SlackLogger {
  const slackLogger = logger.child({ component: "slack" });
  return {
    debug: (...parts: unknown[]) => slackLogger.debug(describe(parts)),
    info: (...parts: unknown[]) => slackLogger.info(describe(parts)),
    warn: (...parts: unknown[]) => slackLogger.warn(describe(parts)),
    error: (...parts: unknown[]) => slackLogger.error(describe(parts)),
    setLevel: () => {},
    getLevel: () => {
      if (slackLogger.isLevelEnabled("debug")) return LogLevel.DEBUG;
      if (slackLogger.isLevelEnabled("info")) return LogLevel.INFO;
      if (slackLogger.isLevelEnabled("warn")) return LogLevel.WARN;
      return LogLevel.ERROR;
    },
    setName: () => {},
  };
}
