// The one error family: a code for programs, a sentence for users, the cause for logs.

/** Every error parley shows to a user. */
export type ParleyErrorCode =
  | "bad_input"
  | "provider_bad_request"
  | "provider_auth"
  | "provider_forbidden"
  | "model_unavailable"
  | "provider_rate_limited"
  | "provider_unavailable"
  | "provider_timeout"
  | "provider_unreachable"
  | "stream_interrupted"
  | "store_unavailable"
  | "conversation_busy"
  | "turn_timeout"
  /** A usage limit (tokens, cost, rate, answers at once) is reached: refused before the provider was called. */
  | "limit_reached"
  /** The allow-lists (ALLOW_CHANNELS, ALLOW_USERS, ALLOW_ROLES, ALLOW_DMS) do not include this turn. */
  | "access_denied"
  /** A settings change by someone who is not an admin. */
  | "not_admin"
  /** The platform would not answer a question parley needed answered (whether someone is an admin). */
  | "platform_unavailable"
  /** parley shut down (a deploy, a restart) while the answer was being written. */
  | "interrupted"
  | "config"
  | "internal";

/** An error with a user-facing sentence (no secrets, no stack) and the underlying cause for logs. */
export class ParleyError extends Error {
  readonly code: ParleyErrorCode;
  readonly userMessage: string;

  constructor(code: ParleyErrorCode, userMessage: string, options?: { cause?: unknown; detail?: string }) {
    super(options?.detail ? `${userMessage} (${options.detail})` : userMessage, { cause: options?.cause });
    this.name = "ParleyError";
    this.code = code;
    this.userMessage = userMessage;
  }
}

/** A mistake in what the user typed: answered plainly, never logged as a bug. */
export function badInput(userMessage: string): ParleyError {
  return new ParleyError("bad_input", userMessage);
}

/** Wraps anything thrown into a ParleyError, keeping ParleyErrors as they are. */
export function asParleyError(error: unknown): ParleyError {
  if (error instanceof ParleyError) return error;
  return new ParleyError(
    "internal",
    "Something went wrong on parley's side; the admins can find it in the logs.",
    {
      cause: error,
    },
  );
}
