// Structured logging: one pino logger, with secrets redacted should one ever reach a log call.
import { type Logger, pino } from "pino";

export type { Logger };

/** Field paths whose values never reach a log line. */
const REDACTED_PATHS = [
  "apiKey",
  "token",
  "authorization",
  "headers.authorization",
  "*.apiKey",
  "*.token",
  "*.authorization",
  "aimlApiKey",
  "signingSecret",
  "botToken",
  "appToken",
];

/** Creates the process logger (JSON lines on stderr). */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino(
    { level, redact: { paths: REDACTED_PATHS, censor: "[redacted]" }, base: { app: "parley" } },
    destination,
  );
}

/** A logger that drops everything (tests). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
