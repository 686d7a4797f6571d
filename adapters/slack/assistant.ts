// Slack's assistant messaging experience (apps still on assistant_view): suggested prompts when a thread starts,
// and DM thread messages answered with a status and a title. Agent apps get the same answers through Bolt's
// Assistant too, since their DM thread replies look alike.
import { Assistant } from "@slack/bolt";
import { answerInDirectThread } from "./direct-thread.ts";
import type { SlackHandlerDependencies } from "./handler-dependencies.ts";
import { parseMessageEnvelope } from "./parse-event.ts";
import { SUGGESTED_PROMPTS, SUGGESTED_PROMPTS_TITLE } from "./suggested-prompts.ts";
import { describeSlackError } from "./surface.ts";
import type { ViewingContexts } from "./viewing-context.ts";

export { THINKING_STATUS } from "./direct-thread.ts";

/** Builds the Assistant that answers messages in DM threads with the bot. */
export function createParleyAssistant(deps: SlackHandlerDependencies, viewing: ViewingContexts): Assistant {
  const { logger } = deps;
  return new Assistant({
    threadStarted: async ({ setSuggestedPrompts }) => {
      await setSuggestedPrompts({ title: SUGGESTED_PROMPTS_TITLE, prompts: [...SUGGESTED_PROMPTS] }).catch(
        (error: unknown) =>
          logger.warn({ err: describeSlackError(error) }, "assistant suggested prompts failed"),
      );
    },
    // The assistant view's context (the channel beside the thread) is remembered like app_context_changed's.
    threadContextChanged: async ({ event, body }) => {
      const thread = event.assistant_thread;
      const teamId = typeof body.team_id === "string" ? body.team_id : undefined;
      if (teamId && thread.context.channel_id)
        viewing.remember(teamId, thread.user_id, [{ type: "channel", id: thread.context.channel_id }]);
    },
    userMessage: async ({ body, context, client, setStatus, setTitle }) => {
      const message = parseMessageEnvelope(body, context.botUserId);
      if (message === undefined || message.threadTs === undefined) return;
      await answerInDirectThread({
        deps,
        client,
        message,
        threadTs: message.threadTs,
        botUserId: context.botUserId,
        controls: { setStatus: (status) => setStatus(status), setTitle: (title) => setTitle(title) },
        viewingNote: viewing.note(message.teamId, message.userId),
      });
    },
  });
}
