// `npm run chat`: parley in the terminal, on the same engine and commands as the chat platforms.
import { loadConfig, readEnvironment } from "../../src/config.ts";
import { ParleyError } from "../../src/errors.ts";
import { createLogger } from "../../src/logger.ts";
import { createParley } from "../../src/parley.ts";
import { runTerminal } from "./run-terminal.ts";

try {
  // The prompt owns stdout; logs go to stderr, and only warnings unless LOG_LEVEL asks for more.
  const config = loadConfig({ LOG_LEVEL: "warn", ...readEnvironment(process.env) });
  const logger = createLogger(config.logLevel);
  const parley = await createParley(config, { logger });
  await runTerminal({ engine: parley.engine, input: process.stdin, output: process.stdout });
  await parley.close();
} catch (error) {
  process.stderr.write(`${error instanceof ParleyError ? error.userMessage : String(error)}\n`);
  process.exitCode = 1;
}
