// Runs turns after Slack was acknowledged: the shared lifecycle, the engine's reply, the renderer, a Slack surface.
import type { ReplyControls } from "../../src/controls/reply-controls.ts";
import type { Logger } from "../../src/logger.ts";
import type { TurnLifecycle } from "../../src/ops/turn-lifecycle.ts";
import { renderReply } from "../../src/render/render-reply.ts";
import type { Turn } from "../../src/types.ts";
import { describeSlackError, type SlackSurface } from "./surface.ts";

/** Answers turns in the background, so listeners return at once and Slack's deadlines never wait on a model. */
export interface Answerer {
  /** False once parley is shutting down: listeners then leave events alone (nothing claimed, nothing posted). */
  accepting(): boolean;
  /** Starts answering a turn on the surface `makeSurface` builds with the turn's logger; never throws. */
  answer(turn: Turn, makeSurface: (logger: Logger) => SlackSurface): void;
}

/** Creates the answerer for one adapter, on the process's turn lifecycle. */
export function createAnswerer(
  lifecycle: TurnLifecycle,
  logger: Logger,
  /** Set, answers carry their controls (Stop, 👍/👎) where the surface can draw them. */
  controls?: ReplyControls,
): Answerer {
  return {
    accepting: () => lifecycle.accepting(),
    answer(turn, makeSurface) {
      void lifecycle.run(
        turn,
        async ({ events, logger: turnLogger, requestId }) => {
          const surface = makeSurface(turnLogger);
          if (controls) {
            surface.showControlsOf?.(requestId);
            // Stopping the stream in Slack is the asker's own stop: the model's request ends too.
            surface.whenStoppedInSlack?.(() => {
              controls.stop(requestId, { platform: "slack", id: turn.author.id }).catch((error: unknown) => {
                turnLogger.warn({ err: error }, "could not stop an answer stopped in Slack");
              });
            });
          }
          const outcome = await renderReply(events, surface);
          await surface.finish();
          if (outcome.surfaceError !== undefined) {
            turnLogger.warn(
              { slackError: describeSlackError(outcome.surfaceError) },
              "slack reply incomplete",
            );
          }
          return outcome;
        },
        { logger },
      );
    },
  };
}
