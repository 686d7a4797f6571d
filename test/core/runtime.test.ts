// The Node.js floor in `engines` matches the features parley runs on, and `npm test` runs on the pinned Node.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  compareVersions as compare,
  parseRange,
  parseVersion,
  satisfies,
  type Version,
} from "../support/node-versions.ts";

const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  engines: { node: string };
};

/**
 * The first release of each release line where a feature parley needs works without a flag (from the history
 * notes of Node's doc/api/typescript.md and doc/api/sqlite.md). A line not listed never got the feature
 * unflagged (before 22, or 22/23 releases below these).
 */
const FEATURE_FIRST_VERSIONS: Record<string, Record<number, Version>> = {
  // `node adapters/main.ts`: type stripping on by default (nodejs/node#56350).
  "type stripping": { 22: [22, 18, 0], 23: [23, 6, 0], 24: [24, 0, 0] },
  // The default store: `node:sqlite` without --experimental-sqlite (nodejs/node#55890).
  "node:sqlite": { 22: [22, 13, 0], 23: [23, 4, 0], 24: [24, 0, 0] },
};

/** The first version of `major` that has every feature unflagged; undefined when that line never has them all. */
function firstWorkingVersion(major: number): Version | undefined {
  let first: Version = [major, 0, 0];
  for (const lines of Object.values(FEATURE_FIRST_VERSIONS)) {
    const newestListed = Math.max(...Object.keys(lines).map(Number));
    const since = lines[major] ?? (major > newestListed ? [major, 0, 0] : undefined);
    if (!since) return undefined;
    if (compare(since, first) > 0) first = since;
  }
  return first;
}

/** A version just below `version` on its line (x.y.0 → x.(y-1).99), for checking the floor is exact. */
function releaseBefore([major, minor, patch]: Version): Version {
  if (patch > 0) return [major, minor, patch - 1];
  if (minor > 0) return [major, minor - 1, 99];
  return [major - 1, 99, 99];
}

describe("runtime", () => {
  it.runIf(process.env.npm_lifecycle_event === "test")(
    "is the pinned node package's binary under npm test",
    () => {
      expect(process.versions.node).toBe(manifest.dependencies.node);
    },
  );

  it("pins the node package as a production dependency, so `npm ci --omit=dev` brings the Node `npm start` runs on", () => {
    expect(manifest.dependencies.node).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.devDependencies.node).toBeUndefined();
    expect(satisfies(parseVersion(manifest.dependencies.node ?? ""), manifest.engines.node)).toBe(true);
  });

  it("reads ranges the way npm does for the forms engines uses", () => {
    expect(satisfies([22, 18, 0], "^22.18.0 || >=23.6.0")).toBe(true);
    expect(satisfies([22, 17, 1], "^22.18.0 || >=23.6.0")).toBe(false);
    expect(satisfies([23, 5, 0], "^22.18.0 || >=23.6.0")).toBe(false);
    expect(satisfies([26, 1, 0], "^22.18.0 || >=23.6.0")).toBe(true);
    expect(satisfies([23, 0, 0], ">=22.18.0 <23")).toBe(false);
  });

  it("admits no release without type stripping and node:sqlite, and every release line that has both", () => {
    const range = manifest.engines.node;
    for (const alternative of parseRange(range)) {
      const first = firstWorkingVersion(alternative.from[0]);
      expect(first, `engines admits Node ${alternative.from.join(".")}`).toBeDefined();
      if (first) expect(compare(alternative.from, first), `engines floor for Node ${first[0]}`).toBe(0);
    }
    // Each line from the first with both features: admitted from exactly its first working release.
    for (const major of [22, 23, 24, 25, 26]) {
      const first = firstWorkingVersion(major);
      if (!first) continue;
      expect(satisfies(first, range), `Node ${first.join(".")}`).toBe(true);
      const before = releaseBefore(first);
      if (before[0] === major) expect(satisfies(before, range), `Node ${before.join(".")}`).toBe(false);
    }
    expect(satisfies([21, 99, 99], range)).toBe(false);
  });

  it("runs on a Node that engines admits, with type stripping and node:sqlite", async () => {
    expect(satisfies(parseVersion(process.versions.node), manifest.engines.node)).toBe(true);
    expect(process.features.typescript).toBe("strip");
    const sqlite = await import("node:sqlite");
    const database = new sqlite.DatabaseSync(":memory:");
    expect(database.prepare("SELECT 1 + 1 AS two").get()).toEqual({ two: 2 });
    database.close();
  });
});
