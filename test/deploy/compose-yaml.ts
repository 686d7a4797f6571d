// Reads the YAML subset compose.yaml is written in (block maps and lists, flow lists, scalars); anything else throws.

/** A YAML value of that subset. */
export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  indent: number;
  text: string;
  number: number;
}

/** Parses block mappings, block sequences of scalars, JSON-style flow sequences, and plain or quoted scalars. */
export function parseComposeYaml(source: string): YamlValue {
  const lines: Line[] = [];
  source.split(/\r?\n/).forEach((raw, index) => {
    const text = stripComment(raw).trimEnd();
    if (text.trim() === "") return;
    if (/\t/.test(raw.slice(0, raw.length - raw.trimStart().length)))
      throw new Error(`line ${index + 1}: tab indent`);
    lines.push({ indent: raw.length - raw.trimStart().length, text: text.trim(), number: index + 1 });
  });
  const [value, next] = parseBlock(lines, 0, 0);
  if (next !== lines.length) throw new Error(`line ${lines[next]?.number}: unexpected indentation`);
  return value;
}

function parseBlock(lines: Line[], start: number, indent: number): [YamlValue, number] {
  const first = lines[start];
  if (!first || first.indent < indent) return [null, start];
  if (first.text.startsWith("- ")) {
    const items: YamlValue[] = [];
    let index = start;
    while (lines[index]?.indent === first.indent && lines[index]?.text.startsWith("- ")) {
      items.push(scalar((lines[index] as Line).text.slice(2).trim(), (lines[index] as Line).number));
      index += 1;
    }
    return [items, index];
  }
  const map: { [key: string]: YamlValue } = {};
  let index = start;
  while (lines[index] && (lines[index] as Line).indent === first.indent) {
    const line = lines[index] as Line;
    const pair = /^([\w.-]+):(?:\s+(.*))?$/.exec(line.text);
    if (!pair?.[1]) throw new Error(`line ${line.number}: not a "key: value" line: ${line.text}`);
    if (pair[2] !== undefined) {
      map[pair[1]] = scalar(pair[2], line.number);
      index += 1;
    } else {
      const child = lines[index + 1];
      // A list may sit at the same indent as its key; a map must be indented further.
      const childIndent =
        child && (child.indent > line.indent || child.text.startsWith("- ")) ? child.indent : -1;
      if (childIndent < 0) {
        map[pair[1]] = null;
        index += 1;
      } else {
        const [value, next] = parseBlock(lines, index + 1, childIndent);
        map[pair[1]] = value;
        index = next;
      }
    }
  }
  return [map, index];
}

function scalar(text: string, lineNumber: number): YamlValue {
  if (text.startsWith("[")) return JSON.parse(text) as YamlValue[];
  if (text.startsWith('"')) return JSON.parse(text) as string;
  if (text.startsWith("'")) return text.slice(1, -1).replaceAll("''", "'");
  if (/^[{&*!|>]/.test(text))
    throw new Error(`line ${lineNumber}: YAML feature this reader does not know: ${text}`);
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === "true" || text === "false") return text === "true";
  if (text === "null" || text === "~") return null;
  return text;
}

/** Drops a ` # comment`, leaving a # inside quotes alone. */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let index = 0; index < line.length; index += 1) {
    const character = line[index];
    if (quote) {
      if (character === quote) quote = undefined;
    } else if (character === '"' || character === "'") {
      quote = character;
    } else if (character === "#" && (index === 0 || /\s/.test(line[index - 1] ?? ""))) {
      return line.slice(0, index);
    }
  }
  return line;
}
