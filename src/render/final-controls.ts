// Which controls a finished reply keeps under its last message, whichever way it was written.
import type { ParleyError } from "../errors.ts";
import type { ReplyResult } from "../types.ts";
import type { ReplyControl } from "./surface.ts";

/** How a reply ended: a result, or an error with the text written before it. */
export type Ending =
  | { kind: "done"; result: ReplyResult }
  | { kind: "error"; error: ParleyError; partialText: string };

/** No controls at all. */
export const NO_CONTROLS: readonly ReplyControl[] = [];

/** Failures that asking again cannot mend: the asker's own input, or parley's policy at work. */
const NOT_RETRYABLE: ReadonlySet<string> = new Set([
  "bad_input",
  "access_denied",
  "not_admin",
  "limit_reached",
  "config",
]);

/**
 * The controls a finished reply's last message keeps: feedback under a model's complete answer, Retry under one that
 * failed or was cut off (unless asking again cannot help); none under a stopped answer (its asker chose to end it) or
 * a command's own text.
 */
export function finalControls(ending: Ending): readonly ReplyControl[] {
  if (ending.kind === "error") return NOT_RETRYABLE.has(ending.error.code) ? NO_CONTROLS : ["retry"];
  return ending.result.model !== undefined && !ending.result.stopped ? ["feedback"] : NO_CONTROLS;
}
