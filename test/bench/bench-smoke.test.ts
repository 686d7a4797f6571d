// `npm run bench -- --smoke --json` end to end: both platforms, both bots, every figure measured, every turn answered.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { Figures } from "../../bench/measure.ts";
import type { BenchReport } from "../../bench/report.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** Checks one bot's figures at one level: `turns` turns sent, all measured and answered, nothing failed. */
function expectWholeLevel(figures: Figures | null | undefined, turns: number): void {
  expect(figures).toBeTruthy();
  if (!figures) return;
  expect(figures.errorSamples).toEqual([]);
  expect(figures.errors).toBe(0);
  expect(figures.turns).toBe(turns);
  expect(figures.measuredTurns).toBe(turns);
  // The fake platform's final state shows what the provider streamed (parley: the whole answer; relay: its one
  // message's first token).
  expect(figures.answeredTurns).toBe(turns);
  const numbers = [
    figures.eventToProviderRequestMs.p50,
    figures.eventToProviderRequestMs.p99,
    figures.firstTokenToPlatformMs.p50,
    figures.firstTokenToPlatformMs.p99,
    figures.cpuMsPerTurn,
    figures.idleCpuMsPerSecond,
    figures.levelSeconds,
    figures.peakRssMb,
    figures.platform429s,
  ];
  for (const value of numbers) expect(Number.isFinite(value)).toBe(true);
  expect(figures.peakRssMb).toBeGreaterThan(0);
  expect(figures.eventToProviderRequestMs.p99).toBeGreaterThanOrEqual(figures.eventToProviderRequestMs.p50);
}

/** A ratio is a finite number, or null where the relay's figure is zero. */
function expectRatios(ratios: Record<string, number | null>): void {
  for (const value of Object.values(ratios)) {
    if (value !== null) expect(Number.isFinite(value)).toBe(true);
  }
}

describe("npm run bench -- --smoke --json", () => {
  it("measures parley and the relay on Discord and Slack at every level, with every turn answered", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "./scripts/check-node.js", "bench/run.ts", "--smoke", "--json"],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, timeout: 240_000 },
    );
    // stdout is one JSON document and nothing else.
    const report = JSON.parse(stdout) as BenchReport;
    expect(report.errors).toBe(0);
    expect(report.settings.conversationLevels).toEqual([1, 2]);
    expect(report.settings.historyLevels).toEqual([10, 100]);
    expect(report.platforms.map((platform) => platform.platform)).toEqual(["discord", "slack"]);
    for (const platform of report.platforms) {
      expect(platform.concurrency.map((level) => level.conversations)).toEqual([1, 2]);
      for (const level of platform.concurrency) {
        expect(level.turnsPerConversation).toBe(2);
        expectWholeLevel(level.parley, level.conversations * 2);
        expectWholeLevel(level.relay, level.conversations * 2);
        expectRatios({ ...level.ratio });
      }
      expect(platform.history.turnsPerLevel).toBe(2);
      expectWholeLevel(platform.history.relayBaseline, 2);
      expect(platform.history.levels.map((level) => level.storedMessages)).toEqual([10, 100]);
      for (const level of platform.history.levels) {
        expectWholeLevel(level.parley, 2);
        expectRatios({ ...level.ratio, ...level.versusSmallestLevel });
      }
    }
  }, 300_000);
});
