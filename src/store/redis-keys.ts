// Where parley keeps each conversation in Redis; one hash tag per conversation keeps its keys together.

/** The part of a node-redis client that runs Lua scripts (EVAL honours the client's command timeout). */
export interface RedisScriptClient {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** The conversation's lock: a token with an expiry. */
export function lockKey(id: string): string {
  return `parley:lock:{${id}}`;
}

/** The conversation's metadata hash: opened marker, model, updatedAtMs. */
export function metaKey(id: string): string {
  return `parley:conversation:{${id}}`;
}

/** The conversation's messages, a list of JSON strings, oldest first. */
export function messagesKey(id: string): string {
  return `parley:messages:{${id}}`;
}

/** The ids of the conversations one person (`platform:workspace:user`) started, for forgetting them. */
export function startedByKey(startedBy: string): string {
  return `parley:started-by:${startedBy}`;
}

/** The prefix of `startedByKey`, for scripts that find the index from a conversation's `startedBy` field. */
export const STARTED_BY_PREFIX = "parley:started-by:";
