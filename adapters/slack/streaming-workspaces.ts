// Where answers stream natively: the workspaces where Slack refused it are remembered, the calls' budgets shared.
import { createEditPacer, type SharedBudget } from "../../src/render/edit-pacer.ts";
import { SLACK_STREAM_APPEND_BUDGET, SLACK_STREAM_START_BUDGET, SLACK_STREAM_STOP_BUDGET } from "./limits.ts";

/** The budgets of native streaming's three methods in one workspace, shared by every answer in it. */
export interface StreamBudgets {
  start: SharedBudget;
  append: SharedBudget;
  stop: SharedBudget;
}

/** Which workspaces parley streams answers in natively, and the budgets the streams spend. */
export interface StreamingWorkspaces {
  /** True while native streaming is on and Slack has not refused it in this workspace. */
  streams(teamId: string): boolean;
  /** Slack said streaming is unavailable here: later answers in the workspace are posted and updated instead. */
  markUnavailable(teamId: string): void;
  /** The workspace's chat.startStream, appendStream and stopStream budgets. */
  budgets(teamId: string): StreamBudgets;
}

/** In memory, per process: a restart tries native streaming again, which costs one refused call per workspace. */
export function createStreamingWorkspaces(enabled: boolean): StreamingWorkspaces {
  const unavailable = new Set<string>();
  const starts = createEditPacer(SLACK_STREAM_START_BUDGET);
  const appends = createEditPacer(SLACK_STREAM_APPEND_BUDGET);
  const stops = createEditPacer(SLACK_STREAM_STOP_BUDGET);
  return {
    streams: (teamId) => enabled && !unavailable.has(teamId),
    markUnavailable: (teamId) => {
      unavailable.add(teamId);
    },
    budgets: (teamId) => ({
      start: starts.budget(teamId),
      append: appends.budget(teamId),
      stop: stops.budget(teamId),
    }),
  };
}
