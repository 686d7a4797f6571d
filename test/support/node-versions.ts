// Node.js versions and the small subset of semver ranges `engines` uses, for the runtime and deployment checks.

/** A Node.js version as [major, minor, patch]. */
export type Version = [major: number, minor: number, patch: number];

/** "v24.1.0", "22.18" or "24" as a Version (missing parts are 0). */
export function parseVersion(text: string): Version {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new Error(`not a version: ${text}`);
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

/** Negative, zero or positive as `left` is older than, the same as or newer than `right`. */
export function compareVersions(left: Version, right: Version): number {
  return left[0] - right[0] || left[1] - right[1] || left[2] - right[2];
}

/** One `||` alternative of a range: the lowest version it admits and the first it no longer admits. */
export interface RangeAlternative {
  from: Version;
  below?: Version;
}

/** Reads `^x.y.z`, `>=x.y.z` and `>=a <b` alternatives joined by `||`; anything else is an error. */
export function parseRange(range: string): RangeAlternative[] {
  return range.split("||").map((part) => {
    const caret = /^\s*\^(\S+)\s*$/.exec(part);
    if (caret?.[1]) {
      const from = parseVersion(caret[1]);
      return { from, below: [from[0] + 1, 0, 0] };
    }
    const bounded = /^\s*>=\s*(\S+)(?:\s+<\s*(\S+))?\s*$/.exec(part);
    if (!bounded?.[1]) throw new Error(`engines uses a form this check does not read: "${part.trim()}"`);
    return { from: parseVersion(bounded[1]), ...(bounded[2] ? { below: parseVersion(bounded[2]) } : {}) };
  });
}

/** True when `range` admits `version`. */
export function satisfies(version: Version, range: string): boolean {
  return parseRange(range).some(
    ({ from, below }) =>
      compareVersions(version, from) >= 0 && (!below || compareVersions(version, below) < 0),
  );
}

/** True when the newest releases of `major` (what a `node:<major>` image tag gives) satisfy `range`. */
export function majorSatisfies(major: number, range: string): boolean {
  return satisfies([major, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER], range);
}
