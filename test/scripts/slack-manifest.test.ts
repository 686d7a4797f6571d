// `npm run manifest` as an admin runs it: Socket Mode by default, HTTP mode with `--http`, one sentence on a typo.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/commands.ts";

const SCRIPT = new URL("../../scripts/slack-manifest.ts", import.meta.url).pathname;
const COMMITTED = readFileSync(new URL("../../slack-manifest.json", import.meta.url), "utf8");
let directory: string;

beforeEach(() => {
  // The script writes into the folder it runs in (npm runs it in the project's).
  directory = mkdtempSync(join(tmpdir(), "parley-manifest-"));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

/** Runs the script with these arguments; its exit code, output and the manifest it wrote, if any. */
function runManifest(...args: string[]) {
  return runManifestWith({}, ...args);
}

/** runManifest with further variables in the environment. */
function runManifestWith(env: Record<string, string>, ...args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string; manifest?: Record<string, unknown> }>(
    (resolve) => {
      execFile(
        process.execPath,
        [SCRIPT, ...args],
        { cwd: directory, env: { PATH: process.env.PATH ?? "", ...env }, timeout: 20_000 },
        (error, stdout, stderr) => {
          // One installation's manifest (HTTP mode, a prefix) goes beside the committed default, not over it.
          const local = join(directory, "slack-manifest.local.json");
          const path = existsSync(local) ? local : join(directory, "slack-manifest.json");
          const manifest = existsSync(path)
            ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>)
            : undefined;
          resolve({
            code: error ? Number(error.code ?? 1) : 0,
            stdout,
            stderr,
            ...(manifest ? { manifest } : {}),
          });
        },
      );
    },
  );
}

describe("npm run manifest", () => {
  it("writes the Socket Mode manifest that is committed", async () => {
    const { code, stdout } = await runManifest();
    expect(code).toBe(0);
    expect(stdout).toBe(
      "wrote slack-manifest.json (Socket Mode: set SLACK_APP_TOKEN; no public URL needed)\n",
    );
    expect(readFileSync(join(directory, "slack-manifest.json"), "utf8")).toBe(COMMITTED);
  });

  it("with --http writes an HTTP mode manifest whose every request URL is the host's /slack/events", async () => {
    const { code, stdout, manifest } = await runManifest("--http", "https://parley.example.com");
    const url = "https://parley.example.com/slack/events";
    expect(code).toBe(0);
    expect(existsSync(join(directory, "slack-manifest.json"))).toBe(false);
    expect(stdout).toBe(
      `wrote slack-manifest.local.json (HTTP mode: Slack sends events, slash commands and interactivity to ${url})\n`,
    );
    expect(manifest).toMatchObject({
      settings: {
        event_subscriptions: { request_url: url },
        interactivity: { is_enabled: true, request_url: url },
        socket_mode_enabled: false,
      },
    });
    const features = manifest?.features as { slash_commands: { command: string; url: string }[] } | undefined;
    const commands = features?.slash_commands ?? [];
    expect(commands.map((command) => [command.command, command.url])).toEqual(
      COMMANDS.map((spec) => [`/${spec.name}`, url]),
    );
    // --check compares with what the same arguments write.
    expect((await runManifest("--http=https://parley.example.com/", "--check")).code).toBe(0);
    const stale = await runManifest("--check");
    expect(stale.code).toBe(1);
    expect(stale.stderr).toBe("slack-manifest.json is out of date: run `npm run manifest`.\n");
  });

  it("names the commands with COMMAND_PREFIX, from the environment or .env", async () => {
    const { code, stdout, manifest } = await runManifestWith({ COMMAND_PREFIX: "ai-" });
    expect(code).toBe(0);
    expect(stdout).toBe(
      "wrote slack-manifest.local.json (Socket Mode: set SLACK_APP_TOKEN; no public URL needed; commands start with /ai-)\n",
    );
    const features = manifest?.features as { slash_commands: { command: string }[] } | undefined;
    expect(features?.slash_commands.map((command) => command.command)).toEqual(
      COMMANDS.map((spec) => `/ai-${spec.name}`),
    );
    const refused = await runManifestWith({ COMMAND_PREFIX: "AI-" });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("COMMAND_PREFIX: expected lowercase letters");
  });

  it.each([
    [
      ["--http", "http://parley.example.com"],
      '--http needs the public https:// address Slack reaches parley at, such as `npm run manifest -- --http https://parley.example.com`; got "http://parley.example.com", which does not start with https:// (Slack sends requests only over HTTPS).\n',
    ],
    [
      ["--http"],
      "--http needs the public https:// address Slack reaches parley at, such as `npm run manifest -- --http https://parley.example.com`; got nothing, which is not a URL.\n",
    ],
    [
      ["--htp", "https://parley.example.com"],
      'Unknown argument "--htp": run `npm run manifest` for Socket Mode, or `npm run manifest -- --http https://your.host` for HTTP mode.\n',
    ],
  ])("refuses %j with one sentence, exit 1, and writes nothing", async (args, sentence) => {
    const { code, stdout, stderr, manifest } = await runManifest(...args);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(sentence);
    expect(manifest).toBeUndefined();
  });
});
