// Reads the Prometheus text format as a scraper does: every line must be a HELP, a TYPE or a sample of a typed family.

/** One sample line: `name{labels} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A parsed exposition. */
export interface Exposition {
  help: Map<string, string>;
  types: Map<string, string>;
  samples: Sample[];
}

const METRIC_NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const SAMPLE_LINE = new RegExp(`^(${METRIC_NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/y;

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL_PAIR.lastIndex = 0;
  while (LABEL_PAIR.lastIndex < text.length) {
    const start = LABEL_PAIR.lastIndex;
    const match = LABEL_PAIR.exec(text);
    if (!match || match.index !== start) throw new Error(`bad labels in: ${line}`);
    labels[match[1] as string] = (match[2] as string).replace(/\\n/g, "\n").replace(/\\(["\\])/g, "$1");
  }
  return labels;
}

function parseValue(text: string, line: string): number {
  if (text === "+Inf") return Number.POSITIVE_INFINITY;
  if (text === "-Inf") return Number.NEGATIVE_INFINITY;
  if (text === "NaN") return Number.NaN;
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`bad value in: ${line}`);
  return value;
}

/** The family a sample belongs to (a histogram's _bucket, _sum and _count belong to the histogram). */
function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count|total|created)$/, "");
  return types.has(base) ? base : undefined;
}

/** Parses a whole body; throws on any line a scraper would reject. */
export function parseExposition(body: string): Exposition {
  const exposition: Exposition = { help: new Map(), types: new Map(), samples: [] };
  for (const line of body.split("\n")) {
    if (line === "") continue;
    const comment = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (comment) {
      const [, kind, name, rest] = comment as unknown as [string, string, string, string];
      if (!new RegExp(`^${METRIC_NAME}$`).test(name)) throw new Error(`bad metric name in: ${line}`);
      if (kind === "HELP") exposition.help.set(name, rest);
      else {
        if (!["counter", "gauge", "histogram", "summary", "untyped"].includes(rest)) {
          throw new Error(`bad type in: ${line}`);
        }
        exposition.types.set(name, rest);
      }
      continue;
    }
    if (line.startsWith("#")) continue;
    const sample = SAMPLE_LINE.exec(line);
    if (!sample) throw new Error(`not a sample line: ${line}`);
    const name = sample[1] as string;
    if (familyOf(name, exposition.types) === undefined) throw new Error(`sample before its TYPE: ${line}`);
    exposition.samples.push({
      name,
      labels: sample[2] ? parseLabels(sample[2], line) : {},
      value: parseValue(sample[3] as string, line),
    });
  }
  return exposition;
}

/** The samples named `name` whose labels include `labels`. */
export function samplesOf(
  exposition: Exposition,
  name: string,
  labels: Record<string, string> = {},
): Sample[] {
  return exposition.samples.filter(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([label, value]) => sample.labels[label] === value),
  );
}
