// `npm run manifest`: writes slack-manifest.json from the command registry, for Socket Mode. A manifest made for one
// installation (`--http https://host` for HTTP mode, or a COMMAND_PREFIX) goes to slack-manifest.local.json instead,
// so the committed default stays as it is. `--check` fails when the file differs from what would be written.
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { slackManifestText, slackRequestUrl } from "../adapters/slack/manifest.ts";
import { loadConfig, readEnvironment } from "../src/config.ts";
import { ParleyError } from "../src/errors.ts";

/** What the command line asks for. */
interface ManifestArguments {
  check: boolean;
  /** HTTP mode's request URL; undefined for Socket Mode. */
  requestUrl?: string;
}

/** Reads `--check` and `--http <address>` (or `--http=<address>`); throws a bad_input sentence otherwise. */
function readArguments(argv: readonly string[]): ManifestArguments {
  const parsed: ManifestArguments = { check: false };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? "";
    if (argument === "--check") parsed.check = true;
    else if (argument === "--http") {
      parsed.requestUrl = slackRequestUrl(argv[index + 1] ?? "");
      index += 1;
    } else if (argument.startsWith("--http=")) parsed.requestUrl = slackRequestUrl(argument.slice(7));
    else {
      throw new ParleyError(
        "bad_input",
        `Unknown argument "${argument}": run \`npm run manifest\` for Socket Mode, or ` +
          "`npm run manifest -- --http https://your.host` for HTTP mode.",
      );
    }
  }
  return parsed;
}

try {
  const options = readArguments(process.argv.slice(2));
  // Only COMMAND_PREFIX matters here: an admin may make the manifest before the API key exists.
  const env = readEnvironment(process.env);
  const { commandPrefix } = loadConfig({
    ...env,
    AIML_API_KEY: env.AIML_API_KEY ?? "not-needed-for-the-manifest",
  });
  // npm runs scripts in the project's folder: the file lands beside package.json.
  const fileName =
    options.requestUrl !== undefined || commandPrefix !== ""
      ? "slack-manifest.local.json"
      : "slack-manifest.json";
  const manifestPath = resolve(fileName);
  const expected = slackManifestText({
    commandPrefix,
    ...(options.requestUrl ? { requestUrl: options.requestUrl } : {}),
  });
  if (options.check) {
    const written = await readFile(manifestPath, "utf8").catch(() => "");
    if (written !== expected) {
      process.stderr.write(`${fileName} is out of date: run \`npm run manifest\`.\n`);
      process.exitCode = 1;
    }
  } else {
    await writeFile(manifestPath, expected);
    const mode = options.requestUrl
      ? `HTTP mode: Slack sends events, slash commands and interactivity to ${options.requestUrl}`
      : "Socket Mode: set SLACK_APP_TOKEN; no public URL needed";
    const names = commandPrefix ? `; commands start with /${commandPrefix}` : "";
    process.stdout.write(`wrote ${fileName} (${mode}${names})\n`);
  }
} catch (error) {
  process.stderr.write(`${error instanceof ParleyError ? error.userMessage : String(error)}\n`);
  process.exitCode = 1;
}
