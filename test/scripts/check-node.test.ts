// The npm scripts refuse an old Node.js with one sentence instead of crashing on the ".ts" extension.
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseRange } from "../support/node-versions.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
  engines: { node: string };
  dependencies: Record<string, string>;
};

/** The scripts that run parley's TypeScript entry points. */
const ENTRY_SCRIPTS = ["start", "chat", "register", "manifest"];

/** A `node` on this machine that cannot strip types (the system's Node 20, say), or undefined. */
function findOldNode(): { path: string; version: string } | undefined {
  const directories = [...(process.env.PATH ?? "").split(delimiter), "/usr/local/bin", "/usr/bin", "/bin"];
  for (const directory of new Set(directories)) {
    const path = join(directory, "node");
    if (!directory || !existsSync(path)) continue;
    try {
      const [version, typescript] = execFileSync(
        path,
        ["-p", "process.version + ' ' + process.features.typescript"],
        { encoding: "utf8", timeout: 10_000 },
      )
        .trim()
        .split(" ");
      if (version && (typescript === "undefined" || typescript === "false")) return { path, version };
    } catch {
      // Not a runnable Node.js: keep looking.
    }
  }
  return undefined;
}

/** Runs an npm script's command line with `node` resolved to `nodePath`, as npm would without its pinned Node. */
function runScript(
  script: string,
  nodePath: string,
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const binDirectory = mkdtempSync(join(tmpdir(), "parley-node-"));
  symlinkSync(nodePath, join(binDirectory, "node"));
  const command = manifest.scripts[script];
  if (!command) throw new Error(`no npm script ${script}`);
  return new Promise((resolve) => {
    execFile(
      "/bin/sh",
      ["-c", command],
      {
        cwd: ROOT,
        env: { PATH: `${binDirectory}${delimiter}/usr/bin${delimiter}/bin`, ...env },
        timeout: 20_000,
      },
      (error, stdout, stderr) => {
        rmSync(binDirectory, { recursive: true, force: true });
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

const oldNode = findOldNode();
afterAll(() => {
  if (!oldNode)
    console.warn("skipped the old-Node checks: no Node.js without type stripping on this machine");
});

describe("the Node.js check of the npm scripts", () => {
  it.skipIf(!oldNode).each(ENTRY_SCRIPTS)(
    "npm run %s on an old Node says which Node is needed, in one sentence, and exits 1",
    async (script) => {
      const { code, stdout, stderr } = await runScript(script, oldNode?.path ?? "", { AIML_API_KEY: "x" });
      expect(code).toBe(1);
      expect(stdout).toBe("");
      expect(stderr).toBe(
        `parley needs Node.js 22.18 or newer, 24 recommended (this is ${oldNode?.version}): run it with ` +
          "`npm start` after `npm ci`, which brings Node.js 24, or install Node.js 24.\n",
      );
    },
  );

  it("lets a Node that strips types through to parley itself", async () => {
    // Blank means unset, so a developer's .env cannot supply the key: the chat stops at its configuration.
    const { code, stderr } = await runScript("chat", process.execPath, { AIML_API_KEY: "" });
    expect(code).toBe(1);
    expect(stderr).toContain("AIML_API_KEY");
    expect(stderr).not.toContain("parley needs Node.js");
  });

  it("names the oldest Node that engines admits and the Node that npm ci installs", () => {
    const guard = readFileSync(join(ROOT, "scripts/check-node.js"), "utf8");
    const oldest = parseRange(manifest.engines.node)
      .map((alternative) => alternative.from)
      .sort((left, right) => left[0] - right[0] || left[1] - right[1])[0];
    expect(oldest).toBeDefined();
    expect(guard).toContain(`Node.js ${oldest?.[0]}.${oldest?.[1]} or newer`);
    const pinnedMajor = manifest.dependencies.node?.split(".")[0];
    expect(guard).toContain(`which brings Node.js ${pinnedMajor}`);
    for (const script of ENTRY_SCRIPTS) {
      // V8's own flags may come first (start caps the young generation); the guard runs before any TypeScript.
      expect(manifest.scripts[script]).toMatch(
        /^node (--max-[a-z-]+=\d+ )*--import \.\/scripts\/check-node\.js \S+\.ts$/,
      );
    }
  });
});
