// `npm run chat`: parley in the terminal, on the same engine and commands as the chat platforms.
import { loadConfig, readEnvironment } from "../../src/config.ts";
import { ParleyError } from "../../src/errors.ts";
import { createLogger, createSecretScrubber } from "../../src/logger.ts";
import { configSecrets } from "../../src/ops/config-secrets.ts";
import { createParley } from "../../src/parley.ts";
import { runTerminal } from "./run-terminal.ts";

/** Scrubs the configured secrets from a message printed outside the logger. */
let scrub = (text: string): string => text;
try {
  // The prompt owns stdout; logs go to stderr, and only warnings unless LOG_LEVEL asks for more.
  const config = loadConfig({ LOG_LEVEL: "warn", ...readEnvironment(process.env) });
  scrub = createSecretScrubber(configSecrets(config));
  const logger = createLogger(config.logLevel, process.stderr, configSecrets(config));
  // The terminal is parley's own prompt, shared with no other app: its commands stay unprefixed.
  const parley = await createParley({ ...config, commandPrefix: "" }, { logger });
  await runTerminal({
    engine: parley.engine,
    lifecycle: parley.operations.lifecycle,
    input: process.stdin,
    output: process.stdout,
  });
  await parley.close();
} catch (error) {
  process.stderr.write(`${scrub(error instanceof ParleyError ? error.userMessage : String(error))}\n`);
  process.exitCode = 1;
}
