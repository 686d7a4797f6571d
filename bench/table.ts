// The bench's report as text tables: per platform, one small table per figure, rows by level.
import type { Figures, Percentiles } from "./measure.ts";
import type { BenchReport, PlatformReport } from "./report.ts";

/** Right-aligned columns under a title; the first column left-aligned. */
export function formatTable(title: string, headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join("  ");
  return [title, `  ${line(headers)}`, ...rows.map((row) => `  ${line(row)}`)].join("\n");
}

const show = (value: number | null): string =>
  value === null || !Number.isFinite(value) ? "-" : String(value);
const times = (value: number | null): string => (value === null ? "-" : `${value}×`);

/** Latency columns: parley p50/p99, relay p50/p99, ratio p50/p99. */
function latencyRow(label: string, parley: Percentiles, relay: Percentiles): string[] {
  const ratioOf = (mine: number, theirs: number) =>
    Number.isFinite(mine) && Number.isFinite(theirs) && theirs > 0
      ? times(Math.round((mine / theirs) * 100) / 100)
      : "-";
  return [
    label,
    show(parley.p50),
    show(parley.p99),
    show(relay.p50),
    show(relay.p99),
    ratioOf(parley.p50, relay.p50),
    ratioOf(parley.p99, relay.p99),
  ];
}

const LATENCY_HEADERS = [
  "level",
  "parley p50",
  "parley p99",
  "relay p50",
  "relay p99",
  "ratio p50",
  "ratio p99",
];
const RESOURCE_HEADERS = [
  "level",
  "parley CPU/turn",
  "relay CPU/turn",
  "ratio",
  "parley peak RSS",
  "relay peak RSS",
  "ratio",
  "parley 429s",
  "relay 429s",
  "idle CPU/s",
  "level s",
  "turns",
  "answered",
  "errors",
];

function resourceRow(label: string, parley: Figures, relay: Figures, cpu: number | null, rss: number | null) {
  return [
    label,
    `${show(parley.cpuMsPerTurn)} ms`,
    `${show(relay.cpuMsPerTurn)} ms`,
    times(cpu),
    `${show(parley.peakRssMb)} MB`,
    `${show(relay.peakRssMb)} MB`,
    times(rss),
    String(parley.platform429s),
    String(relay.platform429s),
    `${show(parley.idleCpuMsPerSecond)}/${show(relay.idleCpuMsPerSecond)} ms`,
    `${show(parley.levelSeconds)}/${show(relay.levelSeconds)}`,
    `${parley.turns}/${relay.turns}`,
    `${parley.answeredTurns}/${relay.answeredTurns}`,
    `${parley.errors}/${relay.errors}`,
  ];
}

/** One platform's tables. */
export function platformTables(report: PlatformReport): string {
  const parts: string[] = [`== ${report.platform}: ${report.event}`];
  const levels = report.concurrency;
  if (levels.length > 0) {
    const label = (level: (typeof levels)[number]) =>
      `${level.conversations} conv × ${level.turnsPerConversation} turns`;
    parts.push(
      formatTable(
        "event arrival → provider request (ms)",
        LATENCY_HEADERS,
        levels.map((level) =>
          latencyRow(
            label(level),
            level.parley.eventToProviderRequestMs,
            level.relay.eventToProviderRequestMs,
          ),
        ),
      ),
      formatTable(
        "provider's first token → first platform call carrying answer text (ms)",
        LATENCY_HEADERS,
        levels.map((level) =>
          latencyRow(label(level), level.parley.firstTokenToPlatformMs, level.relay.firstTokenToPlatformMs),
        ),
      ),
      formatTable(
        "resources per level (idle CPU, level wall time, turns, answered, errors: parley/relay)",
        RESOURCE_HEADERS,
        levels.map((level) =>
          resourceRow(
            label(level),
            level.parley,
            level.relay,
            level.ratio.cpuMsPerTurn,
            level.ratio.peakRssMb,
          ),
        ),
      ),
    );
  }
  const { relayBaseline, levels: historyLevels, turnsPerLevel } = report.history;
  if (relayBaseline && historyLevels.length > 0) {
    const label = (stored: number) => `${stored} stored`;
    parts.push(
      formatTable(
        `history: event arrival → provider request (ms), ${turnsPerLevel} turns per level, one at a time; ` +
          "relay = storage-free baseline",
        [...LATENCY_HEADERS, "p50 vs smallest"],
        historyLevels.map((level) => [
          ...latencyRow(
            label(level.storedMessages),
            level.parley.eventToProviderRequestMs,
            relayBaseline.eventToProviderRequestMs,
          ),
          times(level.versusSmallestLevel.eventToProviderRequestP50),
        ]),
      ),
      formatTable(
        "history: resources per level",
        [...RESOURCE_HEADERS, "CPU vs smallest"],
        historyLevels.map((level) => [
          ...resourceRow(
            label(level.storedMessages),
            level.parley,
            relayBaseline,
            level.ratio.cpuMsPerTurn,
            level.ratio.peakRssMb,
          ),
          times(level.versusSmallestLevel.cpuMsPerTurn),
        ]),
      ),
    );
  }
  const samples = errorSamples(report);
  if (samples.length > 0) parts.push(["errors (first few per level):", ...samples].join("\n"));
  return parts.join("\n\n");
}

/** "  <bot> <level>: <error>" lines for every figure set that has errors. */
function errorSamples(report: PlatformReport): string[] {
  const sets: [string, Figures][] = [
    ...report.concurrency.flatMap((level): [string, Figures][] => [
      [`parley ${level.conversations} conv`, level.parley],
      [`relay ${level.conversations} conv`, level.relay],
    ]),
    ...report.history.levels.map((level): [string, Figures] => [
      `parley ${level.storedMessages} stored`,
      level.parley,
    ]),
    ...(report.history.relayBaseline
      ? [["relay history baseline", report.history.relayBaseline] as [string, Figures]]
      : []),
  ];
  return sets.flatMap(([label, figures]) =>
    figures.errors === 0
      ? []
      : [
          `  ${label}: ${figures.errors} errors`,
          ...figures.errorSamples.map((sample) => `    ${sample.slice(0, 200)}`),
        ],
  );
}

/** The whole report as text. */
export function reportText(report: BenchReport): string {
  const { settings } = report;
  const header = [
    `parley bench: first token after ${settings.firstTokenMs} ms, ${settings.tokensPerSecond} tokens/s, ` +
      `${settings.answerTokens}-token answers; ${report.logging}.`,
    `Relay: ${report.relay}`,
    "Percentiles are nearest-rank over every turn of a level; CPU is user+system time of the bot's process over the " +
      "level divided by its turns (idle CPU/s: the process's background CPU sampled before the turns); peak RSS is VmHWM of a fresh process per level; 429s are the fakes' answers.",
  ];
  const errors = report.errors > 0 ? `${report.errors} errors in all (samples above). ` : "";
  return [
    header.join("\n"),
    ...report.platforms.map(platformTables),
    `${errors}Finished in ${report.elapsedSeconds} s.`,
  ].join("\n\n");
}
