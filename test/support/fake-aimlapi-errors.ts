// Errors the fake AI/ML API answers with, in the provider's body shape and with its usual wording.
import { randomUUID } from "node:crypto";
import type { ScriptedReply } from "./fake-aimlapi-replies.ts";

/** The message the provider typically sends with each status (wording taken from its error docs and PROVIDER.md). */
export const PROVIDER_ERROR_MESSAGES: Readonly<Record<number, string>> = {
  400: 'Body validation error: Expected "string", received "number"',
  401: "This request requires a valid API key. Provide it in the Authorization header as a Bearer token.",
  403: "You have exhausted your credits. Top up your balance to continue.",
  404: "Not found",
  429: "Too many requests: rate limit exceeded. Try again later.",
  500: "Internal server error",
  502: "Bad gateway",
  503: "Service unavailable",
  504: "Generation timeout",
};

/** The provider's error body: `{message, statusCode, requestId, path, timestamp}` (not OpenAI's `{error:{…}}`). */
export function providerErrorBody(
  status: number,
  message: string,
  path: string,
  requestId: string = randomUUID(),
): { message: string; statusCode: number; requestId: string; path: string; timestamp: string } {
  return { message, statusCode: status, requestId, path, timestamp: new Date().toISOString() };
}

/** A scripted reply that fails with `status`, using the provider's usual message unless one is given. */
export function scriptedError(
  status: number,
  message?: string,
  headers?: Record<string, string>,
): ScriptedReply {
  const error: NonNullable<ScriptedReply["error"]> = {
    status,
    message: message ?? PROVIDER_ERROR_MESSAGES[status] ?? `Request failed with status ${status}`,
  };
  if (headers !== undefined) error.headers = headers;
  return { error };
}
