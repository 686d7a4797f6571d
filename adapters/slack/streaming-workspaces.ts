// Remembers the workspaces where Slack refused native streaming, so their later answers go straight to post + update.

/** Which workspaces parley streams answers in natively. */
export interface StreamingWorkspaces {
  /** True while native streaming is on and Slack has not refused it in this workspace. */
  streams(teamId: string): boolean;
  /** Slack said streaming is unavailable here: later answers in the workspace are posted and updated instead. */
  markUnavailable(teamId: string): void;
}

/** In memory, per process: a restart tries native streaming again, which costs one refused call per workspace. */
export function createStreamingWorkspaces(enabled: boolean): StreamingWorkspaces {
  const unavailable = new Set<string>();
  return {
    streams: (teamId) => enabled && !unavailable.has(teamId),
    markUnavailable: (teamId) => {
      unavailable.add(teamId);
    },
  };
}
