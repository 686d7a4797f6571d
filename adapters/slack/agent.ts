// Slack's agent messaging experience: suggested prompts when a user opens parley's DM, and what they are viewing.
import type { App } from "@slack/bolt";
import type { Turn } from "../../src/types.ts";
import type { SlackHandlerDependencies } from "./handler-dependencies.ts";
import { isRecord, recordField, stringField } from "./json-fields.ts";
import { SUGGESTED_PROMPTS, SUGGESTED_PROMPTS_TITLE } from "./suggested-prompts.ts";
import { describeSlackError } from "./surface.ts";
import { slackKey } from "./turns.ts";
import { parseViewedEntities, type ViewingContexts } from "./viewing-context.ts";

/** The team of an event envelope. */
function teamOf(body: unknown): string | undefined {
  return isRecord(body) ? stringField(body, "team_id") : undefined;
}

/** Registers the app_home_opened and app_context_changed listeners. */
export function registerAgentListeners(
  app: App,
  deps: SlackHandlerDependencies,
  viewing: ViewingContexts,
): void {
  const { logger } = deps;

  app.event("app_home_opened", async ({ event, body, client }) => {
    const teamId = teamOf(body);
    if (teamId && event.context) viewing.remember(teamId, event.user, parseViewedEntities(event.context));
    if (event.tab !== "messages" || !teamId) return;
    // Where parley would ignore the person's DMs (ALLOW_DMS, ALLOW_USERS), it suggests nothing to ask either.
    const probe: Turn = {
      key: slackKey(teamId, event.channel, event.channel),
      author: { id: event.user, displayName: event.user, isBot: false },
      kind: "mention",
      text: "",
      venue: "direct",
    };
    if (!deps.engine.access(probe).allowed) return;
    // Without thread_ts: the prompts belong to the DM itself (with one, agent apps' calls fail silently).
    await client.assistant.threads
      .setSuggestedPrompts({
        channel_id: event.channel,
        title: SUGGESTED_PROMPTS_TITLE,
        prompts: [...SUGGESTED_PROMPTS],
      })
      .catch((error: unknown) => logger.warn({ err: describeSlackError(error) }, "suggested prompts failed"));
  });

  app.event("app_context_changed", async ({ event, body }) => {
    const teamId = teamOf(body);
    const payload = event as unknown;
    const userId = isRecord(payload) ? stringField(payload, "user") : undefined;
    if (!teamId || !userId) return;
    viewing.remember(
      teamId,
      userId,
      parseViewedEntities(isRecord(payload) ? recordField(payload, "context") : undefined),
    );
  });
}
