// `npm test` runs on the Node.js the project pins, not on whatever the machine has.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  devDependencies: Record<string, string>;
  engines: { node: string };
};

describe("runtime", () => {
  it.runIf(process.env.npm_lifecycle_event === "test")(
    "is the pinned node package's binary under npm test",
    () => {
      expect(process.versions.node).toBe(manifest.devDependencies.node);
    },
  );

  it("is at least the engines floor", () => {
    const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
    expect(manifest.engines.node).toBe(">=22.12");
    expect(major > 22 || (major === 22 && minor >= 12)).toBe(true);
  });
});
