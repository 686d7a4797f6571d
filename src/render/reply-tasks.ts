// The tasks a streamed reply shows beside its text ("Searching the web…"), and which of them changed since last sent.
import type { Citation } from "../types.ts";
import type { ReplyTask } from "./surface.ts";

/** A reply's tasks; each change is sent once, with the next piece of the stream. */
export interface ReplyTasks {
  /** A new task in progress, titled with a status line. */
  start(title: string): void;
  /** Completes every task; the last one (the web search) carries the answer's citations as its sources. */
  completeAll(citations: readonly Citation[]): void;
  /** True while some change has not been sent. */
  changed(): boolean;
  /** The tasks changed since the last call, as they are now. */
  takeChanged(): ReplyTask[];
}

export function createReplyTasks(): ReplyTasks {
  const tasks = new Map<string, ReplyTask>();
  const changedIds = new Set<string>();
  return {
    start(title) {
      const id = `task-${tasks.size + 1}`;
      tasks.set(id, { id, title, status: "in_progress" });
      changedIds.add(id);
    },
    completeAll(citations) {
      const ids = [...tasks.keys()];
      for (const [index, id] of ids.entries()) {
        const task = tasks.get(id);
        if (!task) continue;
        // The engine's only task today is the web search: the answer's citations are what it found.
        const sources = index === ids.length - 1 && citations.length > 0 ? { sources: citations } : {};
        if (task.status === "complete" && !("sources" in sources)) continue;
        tasks.set(id, { ...task, status: "complete", ...sources });
        changedIds.add(id);
      }
    },
    changed: () => changedIds.size > 0,
    takeChanged() {
      const changed = [...changedIds].flatMap((id) => {
        const task = tasks.get(id);
        return task ? [task] : [];
      });
      changedIds.clear();
      return changed;
    },
  };
}
