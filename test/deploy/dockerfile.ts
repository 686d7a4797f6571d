// Reads a Dockerfile into its stages and instructions, enough for the deployment checks (no Docker engine here).

/** One instruction: its keyword, its flags (`--from=…`) and its arguments, exec-form arrays already parsed. */
export interface Instruction {
  keyword: string;
  flags: Record<string, string>;
  /** Arguments split on spaces, or the items of a JSON array (exec form). */
  args: string[];
  /** The arguments as written. */
  text: string;
}

/** One `FROM … AS name` stage. */
export interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

/** The stages of a Dockerfile, in order; continuation lines joined and comments dropped. */
export function parseDockerfile(source: string): Stage[] {
  const lines = source
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword = "", rest = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = parseInstruction(keyword.toUpperCase(), rest);
    if (instruction.keyword === "FROM") {
      const [image = "", as, name] = instruction.args;
      stages.push({ image, ...(as?.toUpperCase() === "AS" && name ? { name } : {}), instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile: ${keyword} before any FROM`);
    stage.instructions.push(instruction);
  }
  return stages;
}

function parseInstruction(keyword: string, rest: string): Instruction {
  const flags: Record<string, string> = {};
  let text = rest;
  for (;;) {
    const flag = /^--([\w-]+)=(\S+)\s*/.exec(text);
    if (!flag?.[1] || flag[2] === undefined) break;
    flags[flag[1]] = flag[2];
    text = text.slice(flag[0].length);
  }
  // HEALTHCHECK's own options come before its CMD.
  const exec = /^(?:CMD\s+)?(\[.*\])$/.exec(text);
  const args = exec?.[1] ? (JSON.parse(exec[1]) as string[]) : text.split(/\s+/).filter(Boolean);
  return { keyword, flags, args, text };
}

/** The instructions of a stage with this keyword. */
export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword);
}

/** Variables an ENV instruction sets (`ENV A=1 B=2` or the old `ENV A 1`). */
export function envNames(instruction: Instruction): string[] {
  if (!instruction.args[0]?.includes("=")) return instruction.args.slice(0, 1);
  return instruction.args.map((pair) => pair.split("=")[0] ?? "").filter(Boolean);
}

/** Matches a path against .dockerignore patterns (with `!` exceptions), the way the build context is filtered. */
export function isDockerIgnored(path: string, dockerignore: string): boolean {
  let ignored = false;
  for (const raw of dockerignore.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const negated = line.startsWith("!");
    const pattern = (negated ? line.slice(1) : line).replace(/^\/+|\/+$/g, "");
    const source = pattern
      .split("/")
      .map((part) =>
        part
          .replace(/[.+^${}()|[\]\\]/g, "\\$&")
          .replace(/\*/g, "[^/]*")
          .replace(/\?/g, "[^/]"),
      )
      .join("/");
    // A pattern naming a directory covers everything under it.
    if (new RegExp(`^${source}(/.*)?$`).test(path)) ignored = !negated;
  }
  return ignored;
}
