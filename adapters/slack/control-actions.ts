// Answers presses on a reply's Stop, Retry and 👍/👎 blocks: acknowledged at once, the core decides, refusals private.
import type { App } from "@slack/bolt";
import type { Presser, ReplyControls } from "../../src/controls/reply-controls.ts";
import type { Turn } from "../../src/types.ts";
import { FEEDBACK_ACTION_ID, RETRY_ACTION_ID, STOP_ACTION_ID } from "./control-blocks.ts";
import type { SlackHandlerDependencies } from "./handler-dependencies.ts";
import { createSlackSurface, describeSlackError, postPlaceholder } from "./surface.ts";
import { slackKey } from "./turns.ts";

/** Said to a press whose value parley cannot read (a button of an older version, say). */
const UNKNOWN_BUTTON = "This button no longer does anything.";

/** Listens for block_actions on parley's controls. */
export function registerControlActions(
  app: App,
  deps: SlackHandlerDependencies,
  controls: ReplyControls,
): void {
  app.action(
    {
      type: "block_actions",
      action_id: new RegExp(`^(${STOP_ACTION_ID}|${FEEDBACK_ACTION_ID}|${RETRY_ACTION_ID})$`),
    },
    async ({ ack, body, action, client }) => {
      // Slack wants the acknowledgement within 3 s; the press's effect shows on the message or privately.
      await ack();
      const channel = body.channel?.id;
      if (!channel) return;
      const userId = body.user.id;
      const threadTs = body.message?.thread_ts ? String(body.message.thread_ts) : undefined;
      const tellPrivately = (text: string) =>
        client.chat
          .postEphemeral({ channel, user: userId, text, ...(threadTs ? { thread_ts: threadTs } : {}) })
          .catch((error: unknown) =>
            deps.logger.warn({ err: describeSlackError(error) }, "could not answer a control press"),
          );
      const presser: Presser = {
        platform: "slack",
        id: userId,
        isPlatformAdmin: () => deps.adminStatus(client, userId),
      };
      // A button and feedback_buttons both carry the pressed button's value on the action.
      const value = String((action as { value?: unknown }).value ?? "");

      if (action.action_id === RETRY_ACTION_ID) {
        const retried = await controls.retry(value, presser);
        if (!retried.done) {
          await tellPrivately(retried.message);
          return;
        }
        // The new answer follows the failed one where it was: in its thread, or at the top level of a DM.
        answerAgain(retried.turn, threadTs);
        return;
      }
      const outcome =
        action.action_id === STOP_ACTION_ID
          ? await controls.stop(value, presser)
          : await vote(controls, value, presser);
      if (outcome.message) await tellPrivately(outcome.message);

      function answerAgain(turn: Turn, answerThreadTs: string | undefined): void {
        const target = { channel: channel ?? "", threadTs: answerThreadTs };
        const placeholder = postPlaceholder(client, target, deps.logger);
        deps.answerer.answer(turn, (turnLogger) =>
          createSlackSurface({
            client,
            ...target,
            logger: turnLogger,
            editIntervalMs: deps.editIntervalMs,
            updateBudget: deps.editPacer.budget(turn.key.workspace),
            placeholder,
          }),
        );
      }
    },
  );
}

/**
 * Maps Slack's own stop (the agent session's stop button, `agent_session_stopped`) onto parley's Stop: the answer
 * being written in that thread ends as if its Stop button had been pressed.
 */
export function registerAgentSessionStop(app: App, controls: ReplyControls): void {
  app.event("agent_session_stopped", async ({ event, body }) => {
    const teamId = (body as { team_id?: string }).team_id ?? "";
    await controls.stopConversation(slackKey(teamId, event.channel, event.thread_ts), {
      platform: "slack",
      id: event.user,
    });
  });
}

/** A feedback button's value is "up:<request id>" or "down:<request id>". */
function vote(controls: ReplyControls, value: string, presser: Presser) {
  const [direction, ...rest] = value.split(":");
  const requestId = rest.join(":");
  if ((direction !== "up" && direction !== "down") || requestId === "")
    return Promise.resolve({ done: false as const, message: UNKNOWN_BUTTON });
  return controls.vote(requestId, presser, direction);
}
