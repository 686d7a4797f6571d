// Slack's AI app surface: suggested prompts when a thread starts, a status while waiting, a title from the prompt.
import { Assistant } from "@slack/bolt";
import { shorten } from "./format.ts";
import type { SlackHandlerDependencies } from "./handler-dependencies.ts";
import { slackTextToPlain } from "./incoming-text.ts";
import { SLACK_THREAD_TITLE_MAX_CHARACTERS } from "./limits.ts";
import { claimMessage } from "./messages.ts";
import { parseMessageEnvelope } from "./parse-event.ts";
import { SUGGESTED_PROMPTS } from "./suggested-prompts.ts";
import { createSlackSurface, describeSlackError } from "./surface.ts";
import { messageTurn, slackKey } from "./turns.ts";

/** Shown in the assistant thread while the model works (Slack clears it when the answer is posted). */
export const THINKING_STATUS = "is thinking…";

/** Builds the Assistant that answers messages in assistant threads (direct-message threads with the bot). */
export function createParleyAssistant(deps: SlackHandlerDependencies): Assistant {
  const { engine, answerer, logger } = deps;
  const warn = (what: string) => (error: unknown) =>
    logger.warn({ err: describeSlackError(error) }, `assistant ${what} failed`);

  return new Assistant({
    threadStarted: async ({ setSuggestedPrompts }) => {
      await setSuggestedPrompts({ title: "Try one of these:", prompts: [...SUGGESTED_PROMPTS] }).catch(
        warn("suggested prompts"),
      );
    },
    // parley answers from the conversation alone; the channel the user is looking at is not needed.
    threadContextChanged: async () => {},
    userMessage: async ({ body, context, client, setStatus, setTitle }) => {
      const message = parseMessageEnvelope(body, context.botUserId);
      if (message === undefined || message.threadTs === undefined || !answerer.accepting()) return;
      const key = slackKey(message.teamId, message.channel, message.threadTs);
      const turnOf = (displayName: string) =>
        messageTurn({
          message,
          key,
          kind: "mention",
          displayName,
          botUserId: context.botUserId,
          readAttachment: deps.readAttachment,
          isPlatformAdmin: () => deps.adminStatus(client, message.userId),
        });
      // Outside the allow-lists (ALLOW_DMS, ALLOW_USERS) the message is left alone.
      if (!engine.access(turnOf(message.userId)).allowed) return;
      if (!(await claimMessage(engine, message, logger))) return;
      const plain = slackTextToPlain(message.text, context.botUserId);
      // Beside the answer, not before it: the status shows while the model works, the title names the thread.
      void setStatus(THINKING_STATUS).catch(warn("status"));
      const isFirstPrompt = !(await engine.hasConversation(key));
      if (isFirstPrompt && plain !== "") {
        void setTitle(shorten(plain, SLACK_THREAD_TITLE_MAX_CHARACTERS)).catch(warn("title"));
      }
      const displayName = message.displayName ?? (await deps.displayName(client, message.userId));
      const turn = turnOf(displayName);
      answerer.answer(turn, (turnLogger) =>
        createSlackSurface({
          client,
          channel: message.channel,
          threadTs: message.threadTs,
          logger: turnLogger,
          editIntervalMs: deps.editIntervalMs,
          updateBudget: deps.editPacer.budget(key.workspace),
          setStatus: async (text) => {
            await setStatus(text);
          },
        }),
      );
    },
  });
}
