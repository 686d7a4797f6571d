// The Dockerfile and compose.yaml name only things that exist: paths, scripts, variables, a Node that engines admits.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import dotenv from "dotenv";
import { describe, expect, it } from "vitest";
import { majorSatisfies } from "../support/node-versions.ts";
import { parseComposeYaml, type YamlValue } from "./compose-yaml.ts";
import { envNames, instructionsOf, isDockerIgnored, parseDockerfile } from "./dockerfile.ts";

const root = new URL("../../", import.meta.url).pathname;
const read = (path: string) => readFileSync(join(root, path), "utf8");
const manifest = JSON.parse(read("package.json")) as {
  scripts: Record<string, string>;
  engines: { node: string };
  dependencies: Record<string, string>;
};
const stages = parseDockerfile(read("Dockerfile"));
const runtime = stages.at(-1);
if (!runtime) throw new Error("Dockerfile has no stage");
const dockerignore = read(".dockerignore");
const compose = parseComposeYaml(read("compose.yaml")) as {
  services: Record<string, Record<string, YamlValue>>;
};
const configSource = read("src/config.ts");
const exampleVariables = Object.keys(dotenv.parse(read(".env.example")));

/** Variables loadConfig reads: the keys of its environment schema. */
const configVariables = [...configSource.matchAll(/^ {2}([A-Z][A-Z0-9_]+): /gm)].map((match) => match[1]);

/** Every `npm start` / `npm run x` in a command line. */
const npmScripts = (text: string) =>
  [...text.matchAll(/\bnpm\s+(?:run(?:-script)?\s+([\w:-]+)|(start|test))\b/g)].map(
    (match) => match[1] ?? match[2],
  );

const healthcheck = instructionsOf(runtime, "HEALTHCHECK")[0];
const healthcheckScript = healthcheck?.args[healthcheck.args.indexOf("-e") + 1] ?? "";

describe("Dockerfile", () => {
  it("builds from a Node image that engines admits, in every stage", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      const major = /^node:(\d+)/.exec(stage.image)?.[1];
      expect(major, `FROM ${stage.image} is not a versioned node image`).toBeDefined();
      expect(
        majorSatisfies(Number(major), manifest.engines.node),
        `node:${major} vs ${manifest.engines.node}`,
      ).toBe(true);
    }
  });

  it("copies only paths that exist and that .dockerignore lets into the build context", () => {
    const stageNames = stages.map((stage) => stage.name);
    for (const [index, stage] of stages.entries()) {
      for (const copy of instructionsOf(stage, "COPY")) {
        const from = copy.flags.from;
        if (from) {
          expect(stageNames.slice(0, index), `COPY --from=${from}`).toContain(from);
          continue;
        }
        for (const source of copy.args.slice(0, -1)) {
          const path = source.replace(/^\.\/|\/$/g, "");
          expect(existsSync(join(root, path)), `COPY ${source}: no such path`).toBe(true);
          expect(isDockerIgnored(path, dockerignore), `COPY ${source}: excluded by .dockerignore`).toBe(
            false,
          );
        }
      }
    }
  });

  it("keeps secrets and local state out of the build context", () => {
    for (const path of [".env", ".env.production", "data", "data/parley.sqlite", "node_modules", ".git"]) {
      expect(isDockerIgnored(path, dockerignore), path).toBe(true);
    }
    expect(isDockerIgnored(".env.example", dockerignore)).toBe(false);
  });

  it("installs production dependencies only, and every package the runtime code imports is one", () => {
    const installs = stages
      .flatMap((stage) => instructionsOf(stage, "RUN"))
      .filter((run) => /\bnpm ci\b/.test(run.text));
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) expect(install.text).toContain("--omit=dev");
    // The image has no dev dependencies: a runtime import of one would crash the container at start.
    const packages = new Set<string>();
    for (const file of sourceFiles(["src", "adapters"])) {
      for (const specifier of runtimeImports(read(file))) {
        if (specifier.startsWith("node:") || specifier.startsWith(".")) continue;
        const name = specifier.startsWith("@")
          ? specifier.split("/").slice(0, 2).join("/")
          : specifier.split("/")[0];
        expect(Object.keys(manifest.dependencies), `${file} imports ${specifier}`).toContain(name);
        packages.add(String(name));
      }
    }
    expect([...packages]).toEqual(expect.arrayContaining(["discord.js", "@slack/bolt", "openai", "keyv"]));
  });

  it("runs what npm start runs, from copied sources, as an unprivileged user with a data volume", () => {
    const command = instructionsOf(runtime, "CMD").at(-1)?.args ?? [];
    const scripts = npmScripts(command.join(" "));
    for (const script of scripts)
      expect(Object.keys(manifest.scripts), `npm script ${script}`).toContain(script);
    if (scripts.length === 0) expect(command.join(" ")).toBe(manifest.scripts.start);
    const entry = command.find((part) => part.endsWith(".ts"));
    if (entry) {
      expect(existsSync(join(root, entry)), entry).toBe(true);
      const copied = instructionsOf(runtime, "COPY").flatMap((copy) => copy.args.slice(0, -1));
      expect(copied.some((source) => entry.startsWith(`${source.replace(/^\.\/|\/$/g, "")}/`))).toBe(true);
    }
    const user = instructionsOf(runtime, "USER").at(-1)?.args[0];
    expect(user).toBeDefined();
    expect(["root", "0"]).not.toContain(user);
    // STORE_URL's default, sqlite://data/parley.sqlite, is relative to the working directory.
    const workdir = instructionsOf(runtime, "WORKDIR").at(-1)?.args[0];
    expect(instructionsOf(runtime, "VOLUME").flatMap((volume) => volume.args)).toContain(`${workdir}/data`);
  });

  it("names only variables that parley reads and .env.example documents", () => {
    const named = [
      ...stages.flatMap((stage) => instructionsOf(stage, "ENV").flatMap(envNames)),
      ...[...healthcheckScript.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)].map((match) => match[1]),
    ];
    expect(named).toContain("METRICS_PORT");
    for (const name of named) {
      expect(configVariables, `${name} in the Dockerfile`).toContain(name);
      expect(exampleVariables, `${name} in the Dockerfile`).toContain(name);
    }
  });
});

describe("the Dockerfile's health check", () => {
  /** Runs the HEALTHCHECK command with `env` against a loopback /healthz answering `status`; its exit code. */
  async function check(status: number, env: (port: number) => Record<string, string>): Promise<number> {
    const paths: string[] = [];
    const server = createServer((request, response) => {
      paths.push(request.url ?? "");
      response.writeHead(status, { "content-type": "application/json" }).end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      await promisify(execFile)(process.execPath, ["-e", healthcheckScript], {
        env: env(port),
        timeout: 10_000,
      });
      return 0;
    } catch (error) {
      return (error as { code?: number }).code ?? -1;
    } finally {
      server.close();
      if (paths.length > 0) expect(paths).toEqual(["/healthz"]);
    }
  }

  it("passes on 200 and fails on 503 from /healthz on METRICS_PORT", async () => {
    expect(healthcheck?.args.slice(0, 2)).toEqual(["node", "-e"]);
    expect(await check(200, (port) => ({ METRICS_PORT: String(port) }))).toBe(0);
    expect(await check(503, (port) => ({ METRICS_PORT: String(port) }))).toBe(1);
  });

  it("asks Slack's HTTP port in Slack's HTTP mode, and fails when nothing answers", async () => {
    const httpMode = (port: number) => ({ SLACK_BOT_TOKEN: "xoxb-1", PORT: String(port), METRICS_PORT: "1" });
    expect(await check(200, httpMode)).toBe(0);
    expect(await check(200, () => ({ METRICS_PORT: "1" }))).toBe(1);
  });
});

describe("compose.yaml", () => {
  const { redis, parley } = compose.services;

  it("runs Redis and two parley replicas built from the Dockerfile", () => {
    expect(redis?.image).toMatch(/^redis:\d/);
    expect(parley?.build).toBe(".");
    expect(existsSync(join(root, "Dockerfile"))).toBe(true);
    expect((parley?.deploy as Record<string, YamlValue> | undefined)?.replicas).toBe(2);
    expect(Object.keys((parley?.depends_on as Record<string, YamlValue>) ?? {})).toContain("redis");
  });

  it("points the replicas at the Redis service and reads the rest from .env", () => {
    const environment = (parley?.environment ?? {}) as Record<string, YamlValue>;
    const storeUrl = new URL(String(environment.STORE_URL));
    expect(storeUrl.protocol).toBe("redis:");
    expect(Object.keys(compose.services)).toContain(storeUrl.hostname);
    expect(storeUrl.port).toBe("6379");
    expect(environment.METRICS_PORT).toBeDefined();
    expect(parley?.env_file).toBe(".env");
    // The operator makes .env from .env.example; git must never pick it up.
    expect(existsSync(join(root, ".env.example"))).toBe(true);
    expect(read(".gitignore").split(/\r?\n/)).toContain(".env");
  });

  it("names only variables that parley reads and .env.example documents, and no npm script that is missing", () => {
    const source = read("compose.yaml");
    const named = [
      ...Object.values(compose.services).flatMap((service) =>
        service === redis ? [] : Object.keys((service.environment ?? {}) as Record<string, YamlValue>),
      ),
      ...[...source.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((match) => match[1]),
    ];
    expect(named.length).toBeGreaterThan(0);
    for (const name of named) {
      expect(configVariables, `${name} in compose.yaml`).toContain(name);
      expect(exampleVariables, `${name} in compose.yaml`).toContain(name);
    }
    for (const script of npmScripts(source)) expect(Object.keys(manifest.scripts)).toContain(script);
  });
});

describe("README", () => {
  it("tells operators about the Dockerfile and compose.yaml", () => {
    const readme = read("README.md");
    // Pending: the README's Operations section (replicas, sharding, health, metrics, Docker) is written separately.
    expect(
      readme.includes("compose.yaml") && readme.includes("Dockerfile"),
      "README.md must mention `compose.yaml` and `Dockerfile` (its Operations section explains running them)",
    ).toBe(true);
  });
});

/** Every .ts file under these directories. */
function sourceFiles(directories: string[]): string[] {
  return directories.flatMap((directory) =>
    readdirSync(join(root, directory), { recursive: true, encoding: "utf8" })
      .map((path) => join(directory, path))
      .filter((path) => path.endsWith(".ts") && statSync(join(root, path)).isFile()),
  );
}

/** Module specifiers a file loads at run time (type-only imports are erased and load nothing). */
function runtimeImports(source: string): string[] {
  const statements = source.matchAll(/^\s*(import|export)\s+(type\s+)?[^;]*?\sfrom\s+"([^"]+)"/gm);
  const bare = source.matchAll(/^\s*import\s+"([^"]+)"/gm);
  const dynamic = source.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g);
  return [
    ...[...statements].filter((match) => !match[2]).map((match) => match[3] ?? ""),
    ...[...bare, ...dynamic].map((match) => match[1] ?? ""),
  ];
}
