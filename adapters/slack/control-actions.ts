// Answers presses on a reply's Stop and 👍/👎 blocks: acknowledged at once, the core decides, refusals said privately.
import type { App } from "@slack/bolt";
import type { Presser, ReplyControls } from "../../src/controls/reply-controls.ts";
import { FEEDBACK_ACTION_ID, STOP_ACTION_ID } from "./control-blocks.ts";
import type { SlackHandlerDependencies } from "./handler-dependencies.ts";
import { describeSlackError } from "./surface.ts";

/** Listens for block_actions on parley's controls. */
export function registerControlActions(
  app: App,
  deps: SlackHandlerDependencies,
  controls: ReplyControls,
): void {
  app.action(
    { type: "block_actions", action_id: new RegExp(`^(${STOP_ACTION_ID}|${FEEDBACK_ACTION_ID})$`) },
    async ({ ack, body, action, client }) => {
      // Slack wants the acknowledgement within 3 s; the press's effect shows on the message or privately.
      await ack();
      const channel = body.channel?.id;
      const presser: Presser = {
        platform: "slack",
        id: body.user.id,
        isPlatformAdmin: () => deps.adminStatus(client, body.user.id),
      };
      // A button and feedback_buttons both carry the pressed button's value on the action.
      const value = String((action as { value?: unknown }).value ?? "");
      const outcome =
        action.action_id === STOP_ACTION_ID
          ? await controls.stop(value, presser)
          : await vote(controls, value, presser);
      if (!outcome.message || !channel) return;
      await client.chat
        .postEphemeral({
          channel,
          user: body.user.id,
          text: outcome.message,
          ...(body.message?.thread_ts ? { thread_ts: String(body.message.thread_ts) } : {}),
        })
        .catch((error: unknown) =>
          deps.logger.warn({ err: describeSlackError(error) }, "could not answer a control press"),
        );
    },
  );
}

/** A feedback button's value is "up:<request id>" or "down:<request id>". */
function vote(controls: ReplyControls, value: string, presser: Presser) {
  const [direction, ...rest] = value.split(":");
  const requestId = rest.join(":");
  if ((direction !== "up" && direction !== "down") || requestId === "")
    return Promise.resolve({ done: false as const, message: "This button no longer does anything." });
  return controls.vote(requestId, presser, direction);
}
