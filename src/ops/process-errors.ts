// The last line of defence: errors nobody caught are logged through the same redacting logger, never printed raw.
import type { Logger } from "../logger.ts";

/** Logs unhandled rejections and uncaught exceptions on `target` (the process) instead of crashing the bot. */
export function logProcessErrors(logger: Logger, target: NodeJS.EventEmitter = process): void {
  // A bug in one handler must not take the bot down for everyone: log it and carry on.
  target.on("unhandledRejection", (reason: unknown) => logger.error({ err: reason }, "unhandled rejection"));
  target.on("uncaughtException", (error: Error) => logger.error({ err: error }, "uncaught exception"));
}
