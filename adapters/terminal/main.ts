// `npm run chat`: parley in the terminal, on the same engine and commands as the chat platforms.
import { loadConfig, readEnvironment } from "../../src/config.ts";
import { ParleyError } from "../../src/errors.ts";
import { createLogger, createSecretScrubber } from "../../src/logger.ts";
import { configSecrets } from "../../src/ops/config-secrets.ts";
import { createParley } from "../../src/parley.ts";
import { openLineHistory } from "./line-history.ts";
import { type LogFile, openLogFile } from "./log-file.ts";
import { runInteractive } from "./run-interactive.ts";
import { runTerminal } from "./run-terminal.ts";

/** At a keyboard, logs go here (beside the default SQLite store), so none lands inside an answer. */
const CHAT_LOG_FILE = "data/chat.log";
/** The prompt's history between runs. */
const CHAT_HISTORY_FILE = "data/chat-history";

/** Scrubs the configured secrets from a message printed outside the logger. */
let scrub = (text: string): string => text;
let logFile: LogFile | undefined;
try {
  // Only warnings are logged unless LOG_LEVEL asks for more.
  const config = loadConfig({ LOG_LEVEL: "warn", ...readEnvironment(process.env) });
  scrub = createSecretScrubber(configSecrets(config));
  // At a keyboard the prompt owns the screen and logs go to a file; piped, they go to stderr as for any program.
  const interactive = process.stdin.isTTY && process.stdout.isTTY;
  if (interactive) logFile = openLogFileOrNone();
  const logger = createLogger(config.logLevel, logFile?.stream ?? process.stderr, configSecrets(config));
  // The terminal is parley's own prompt, shared with no other app: its commands stay unprefixed.
  const parley = await createParley({ ...config, commandPrefix: "" }, { logger });
  if (interactive) {
    await runInteractive({
      engine: parley.engine,
      lifecycle: parley.operations.lifecycle,
      input: process.stdin,
      output: process.stdout,
      history: await openLineHistory(CHAT_HISTORY_FILE, logger),
      notice: () => logFile?.takeNotice(),
    });
  } else {
    await runTerminal({
      engine: parley.engine,
      lifecycle: parley.operations.lifecycle,
      input: process.stdin,
      output: process.stdout,
    });
  }
  await parley.close();
  const notice = logFile?.takeNotice();
  if (notice) process.stdout.write(`(${notice})\n`);
} catch (error) {
  process.stderr.write(`${scrub(error instanceof ParleyError ? error.userMessage : String(error))}\n`);
  process.exitCode = 1;
} finally {
  await logFile?.close();
}

/** The chat's log file; when it cannot be opened (a read-only folder), logs stay on stderr rather than fail the chat. */
function openLogFileOrNone(): LogFile | undefined {
  try {
    return openLogFile(CHAT_LOG_FILE);
  } catch (error) {
    process.stderr.write(
      `Could not open ${CHAT_LOG_FILE} (${String(error)}); logging to the screen instead.\n`,
    );
    return undefined;
  }
}
