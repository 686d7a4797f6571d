// Fails when the core reaches outward: src/ must not import adapters/ or a chat platform's SDK.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const SOURCE_ROOT = new URL("../../src/", import.meta.url).pathname;
const FORBIDDEN = [/(^|\/)adapters\//, /^discord\.js$/, /^@discordjs\//, /^@slack\//];

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(directory, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(directory, entry.name)]
        : [],
  );
}

/** Every module specifier a file imports or re-exports, static or dynamic. */
function importedSpecifiers(code: string): string[] {
  const pattern =
    /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
  return [...code.matchAll(pattern)].map((match) => match[1] ?? match[2] ?? "");
}

describe("architecture", () => {
  it("finds the core's files", () => {
    expect(sourceFiles(SOURCE_ROOT).length).toBeGreaterThan(10);
  });

  it("keeps src/ free of adapters and platform SDKs", () => {
    const violations = sourceFiles(SOURCE_ROOT).flatMap((file) =>
      importedSpecifiers(readFileSync(file, "utf8"))
        .filter((specifier) => FORBIDDEN.some((pattern) => pattern.test(specifier)))
        .map((specifier) => `${file.slice(SOURCE_ROOT.length)} imports ${specifier}`),
    );
    expect(violations).toEqual([]);
  });

  it("detects a violation when one is written", () => {
    const specifiers = importedSpecifiers(
      'import { Client } from "discord.js";\nimport x from "../adapters/slack/start.ts";',
    );
    expect(
      specifiers.filter((specifier) => FORBIDDEN.some((pattern) => pattern.test(specifier))),
    ).toHaveLength(2);
  });
});
