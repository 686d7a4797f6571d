// Turns anything thrown into log fields without secrets: interaction tokens in webhook URLs are cut out.
import { DiscordAPIError, HTTPError } from "discord.js";
import type { Logger } from "../../src/logger.ts";
import type { RenderOutcome } from "../../src/render/render-reply.ts";

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

/** Warns when Discord refused part of a reply (the lifecycle logs how the turn went). */
export function logSurfaceError(logger: Logger, rendered: RenderOutcome): void {
  if (rendered.surfaceError === undefined) return;
  logger.warn({ error: errorForLog(rendered.surfaceError) }, "discord could not show the whole reply");
}
