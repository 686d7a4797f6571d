// Turns anything thrown into log fields without secrets: interaction tokens in webhook URLs are cut out.
import { DiscordAPIError, HTTPError } from "discord.js";
import type { Logger } from "../../src/logger.ts";
import type { RenderOutcome } from "../../src/render/render-reply.ts";
import { conversationId, type Turn } from "../../src/types.ts";

/** Log fields for an error: name, message, Discord's code and status, and the route without tokens. */
export function errorForLog(error: unknown): Record<string, unknown> {
  if (error instanceof DiscordAPIError) {
    return {
      name: error.name,
      message: error.message,
      code: error.code,
      status: error.status,
      method: error.method,
      route: withoutTokens(error.url),
    };
  }
  if (error instanceof HTTPError) {
    return {
      name: error.name,
      message: error.message,
      status: error.status,
      route: withoutTokens(error.url),
    };
  }
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { message: String(error) };
}

/** The path of a Discord URL with the interaction or webhook token replaced by ":token". */
export function withoutTokens(url: string): string {
  const path = url.replace(/^[a-z]+:\/\/[^/]+/i, "").replace(/\?.*$/, "");
  return path.replace(/\/(webhooks|interactions)\/(\d+)\/[^/]+/g, "/$1/$2/:token");
}

/** Logs how an answer went: a warning when Discord refused part of it, then one line with its outcome. */
export function logAnswered(
  logger: Logger,
  turn: Turn,
  rendered: RenderOutcome,
  elapsedMs: number,
  what: "command" | "message",
): void {
  const conversation = conversationId(turn.key);
  if (rendered.surfaceError !== undefined) {
    logger.warn(
      { conversation, error: errorForLog(rendered.surfaceError) },
      "discord could not show the whole reply",
    );
  }
  logger.info(
    {
      conversation,
      kind: turn.kind,
      outcome: rendered.outcome,
      messages: rendered.messages.length,
      ms: elapsedMs,
    },
    `discord ${what} answered`,
  );
}
