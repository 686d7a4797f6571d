// What each user is looking at in Slack (app_context_changed), remembered so their next question can mention it.
import { isRecord, recordField, stringField } from "./json-fields.ts";

/** One thing the user is viewing, most relevant first. */
export type ViewedEntity =
  | { type: "channel"; id: string }
  | { type: "canvas"; id: string }
  | { type: "list"; id: string }
  | { type: "message"; channel: string; ts: string };

/** Remembers the latest context per user and words it for the prompt. */
export interface ViewingContexts {
  remember(teamId: string, userId: string, entities: readonly ViewedEntity[]): void;
  /** The note added to the user's next question, or undefined when nothing is known. */
  note(teamId: string, userId: string): string | undefined;
}

/** Users remembered at most; the oldest is forgotten first (the context is a hint, not history). */
export const VIEWING_CONTEXT_MAX_USERS = 10_000;

/** Reads the entities of an app_context_changed (or app_home_opened) event's `context`; unknown kinds are skipped. */
export function parseViewedEntities(context: unknown): ViewedEntity[] {
  if (!isRecord(context) || !Array.isArray(context.entities)) return [];
  return context.entities.flatMap((entity): ViewedEntity[] => {
    if (!isRecord(entity)) return [];
    const type = stringField(entity, "type");
    const value = stringField(entity, "value");
    if (type === "slack#/types/channel_id" && value) return [{ type: "channel", id: value }];
    if (type === "slack#/types/canvas_id" && value) return [{ type: "canvas", id: value }];
    if (type === "slack#/types/list_id" && value) return [{ type: "list", id: value }];
    const message = recordField(entity, "value");
    const channel = message && stringField(message, "channel_id");
    const ts = message && stringField(message, "message_ts");
    if (type === "slack#/types/message_context" && channel && ts) return [{ type: "message", channel, ts }];
    return [];
  });
}

/** How one entity reads in the note. */
function describe(entity: ViewedEntity): string {
  switch (entity.type) {
    case "channel":
      return `the channel ${entity.id}`;
    case "canvas":
      return `the canvas ${entity.id}`;
    case "list":
      return `the list ${entity.id}`;
    case "message":
      return `the message ${entity.ts} in the channel ${entity.channel}`;
  }
}

/** An in-memory store of viewing contexts, per process. */
export function createViewingContexts(maxUsers = VIEWING_CONTEXT_MAX_USERS): ViewingContexts {
  const contexts = new Map<string, readonly ViewedEntity[]>();
  return {
    remember(teamId, userId, entities) {
      const id = `${teamId}:${userId}`;
      contexts.delete(id);
      if (entities.length === 0) return;
      contexts.set(id, entities);
      if (contexts.size > maxUsers) {
        const oldest = contexts.keys().next().value;
        if (oldest !== undefined) contexts.delete(oldest);
      }
    },
    note(teamId, userId) {
      const entities = contexts.get(`${teamId}:${userId}`);
      if (!entities || entities.length === 0) return undefined;
      return `(In Slack, the user is viewing ${entities.map(describe).join(", then ")}.)`;
    },
  };
}
