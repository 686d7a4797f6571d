// Why the Slack adapter could not start, as one sentence that names the setting to fix and what was tried.
import { webApi } from "@slack/bolt";
import { withoutCredentials } from "../../src/config.ts";
import { ParleyError } from "../../src/errors.ts";
import { failureReason, networkFailureOf } from "../../src/ops/network-failure.ts";

/** The Web API calls start-up makes, and the token each is made with. */
const TOKENS = {
  "auth.test": {
    setting: "SLACK_BOT_TOKEN",
    hint: "copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions, and reinstall the app if it was revoked",
  },
  "apps.connections.open": {
    setting: "SLACK_APP_TOKEN",
    hint: "create an app-level token with the connections:write scope under Basic Information → App-Level Tokens",
  },
} as const;

/** A start-up call to the Web API. */
export type SlackStartupCall = keyof typeof TOKENS;

/** Slack's answers that mean the token itself is wrong, revoked or of the wrong kind. */
const TOKEN_REFUSALS = new Set([
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "not_allowed_token_type",
  "invalid_token",
]);

/**
 * Turns a failed start-up call into a ParleyError naming the setting to fix: Slack unreachable (SLACK_API_URL),
 * a token refused, an HTTP error or a rate limit. Errors it cannot explain are returned as they are.
 */
export function slackStartupFailure(error: unknown, call: SlackStartupCall, apiUrl: string): unknown {
  if (error instanceof ParleyError || typeof error !== "object" || error === null) return error;
  const { setting, hint } = TOKENS[call];
  const failure = error as {
    code?: unknown;
    data?: { error?: unknown };
    statusCode?: unknown;
    retryAfter?: unknown;
  };
  switch (failure.code) {
    case webApi.ErrorCode.PlatformError: {
      const answer = String(failure.data?.error);
      const sentence = TOKEN_REFUSALS.has(answer)
        ? `Slack rejected ${setting} (${answer} at ${call}): ${hint}`
        : `Slack refused ${call} (${answer}): check ${setting}`;
      return new ParleyError("config", sentence, { cause: error });
    }
    case webApi.ErrorCode.HTTPError:
      return new ParleyError(
        "config",
        `Slack answered HTTP ${String(failure.statusCode)} at ${call}: check SLACK_API_URL, or Slack's status at ` +
          "https://slack-status.com",
        { cause: error },
      );
    case webApi.ErrorCode.RateLimitedError:
      return new ParleyError(
        "config",
        `Slack is rate-limiting ${call}: start again in ${String(failure.retryAfter)} s`,
        { cause: error },
      );
    default: {
      const reason = networkFailureOf(error);
      if (!reason && failure.code !== webApi.ErrorCode.RequestError) return error;
      return new ParleyError(
        "config",
        `Could not reach Slack at ${withoutCredentials(apiUrl)} (${reason ?? failureReason(error)}): check the network ` +
          "or SLACK_API_URL",
        { cause: error },
      );
    }
  }
}

/** Socket Mode got its address from Slack but its WebSocket never opened. */
export function socketModeStalled(waitedMs: number): ParleyError {
  return new ParleyError(
    "config",
    `Slack's Socket Mode connection did not open within ${Math.round(waitedMs / 1000)} s (apps.connections.open ` +
      "answered, the WebSocket did not connect): check the network and any proxy or firewall that blocks WebSockets",
  );
}
