// Turns whatever the openai SDK throws into one ParleyError with a code and a sentence a user can act on.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { ParleyError } from "../errors.ts";

/** The provider's own error body is `{message, statusCode, requestId}`, not OpenAI's `{error:{message}}`. */
export function providerMessage(error: APIError): string | undefined {
  const body: unknown = error.error;
  if (typeof body === "object" && body !== null) {
    const record = body as Record<string, unknown>;
    if (typeof record.message === "string" && record.message) return record.message;
    if (Array.isArray(record.message)) return record.message.map(String).join("; ");
    const nested = record.error;
    if (
      typeof nested === "object" &&
      nested !== null &&
      typeof (nested as { message?: unknown }).message === "string"
    ) {
      return (nested as { message: string }).message;
    }
  }
  // The SDK formats "<status> <message>"; keep the message part when the body was not an object.
  const text = error.message.replace(/^\d{3}\s*/, "").trim();
  return text && !/status code \(no body\)/.test(text) ? text : undefined;
}

/** Maps an SDK error (or anything) to a ParleyError; `secrets` are scrubbed from provider text. */
export function toProviderError(
  error: unknown,
  context: {
    model: string;
    secrets: readonly string[];
    /** The sentence telling the user what to do about an unavailable model, where they are. */
    modelRemedy: string;
  },
): ParleyError {
  if (error instanceof ParleyError) return error;
  const scrub = (text: string) =>
    context.secrets.reduce((result, secret) => (secret ? result.split(secret).join("***") : result), text);

  if (error instanceof APIUserAbortError) {
    return new ParleyError("provider_timeout", "The answer was stopped before it finished.", {
      cause: error,
    });
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new ParleyError("provider_timeout", "The AI provider took too long to answer; please try again.", {
      cause: error,
    });
  }
  if (error instanceof APIConnectionError) {
    return new ParleyError(
      "provider_unreachable",
      "Could not reach the AI provider; please try again shortly.",
      {
        cause: error,
      },
    );
  }
  if (error instanceof APIError) {
    const status = error.status ?? 0;
    const raw = providerMessage(error);
    const detail = raw ? scrub(raw) : undefined;
    const said = detail ? ` The provider said: "${detail}"` : "";
    if (status === 400) {
      return new ParleyError(
        "provider_bad_request",
        `The provider rejected the request for ${context.model}.${said}`,
        {
          cause: error,
        },
      );
    }
    if (status === 401) {
      return new ParleyError(
        "provider_auth",
        `The bot's API key was rejected — an admin needs to update AIML_API_KEY.${said}`,
        { cause: error },
      );
    }
    if (status === 403) {
      return new ParleyError(
        "provider_forbidden",
        `The provider refused the request: the account may be out of credits or over its spending limit — an admin needs to check it.${said}`,
        { cause: error },
      );
    }
    if (status === 404) {
      return new ParleyError(
        "model_unavailable",
        `The model ${context.model} is not available from the provider. ${context.modelRemedy}${said}`,
        { cause: error },
      );
    }
    if (status === 429) {
      return new ParleyError(
        "provider_rate_limited",
        `The provider is rate-limiting requests right now; please try again in a minute.${said}`,
        { cause: error },
      );
    }
    if (status === 504 || status === 408) {
      return new ParleyError(
        "provider_timeout",
        `The AI provider took too long to answer; please try again.${said}`,
        {
          cause: error,
        },
      );
    }
    if (status >= 500) {
      return new ParleyError(
        "provider_unavailable",
        `The AI provider had a problem (HTTP ${status}); please try again shortly.${said}`,
        { cause: error },
      );
    }
    return new ParleyError("provider_bad_request", `The provider answered HTTP ${status}.${said}`, {
      cause: error,
    });
  }
  return new ParleyError("internal", "Something went wrong while talking to the AI provider.", {
    cause: error,
  });
}
