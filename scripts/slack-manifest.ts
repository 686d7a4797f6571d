// `npm run manifest`: writes slack-manifest.json from the command registry; `--check` fails when it is stale.
import { readFile, writeFile } from "node:fs/promises";
import { slackManifestText } from "../adapters/slack/manifest.ts";

const manifestPath = new URL("../slack-manifest.json", import.meta.url);
const expected = slackManifestText();

if (process.argv.includes("--check")) {
  const committed = await readFile(manifestPath, "utf8").catch(() => "");
  if (committed !== expected) {
    process.stderr.write("slack-manifest.json is out of date: run `npm run manifest`.\n");
    process.exitCode = 1;
  }
} else {
  await writeFile(manifestPath, expected);
  process.stdout.write("wrote slack-manifest.json\n");
}
