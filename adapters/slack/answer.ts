// Runs turns after Slack was acknowledged: engine reply → shared renderer → Slack surface; tracked for shutdown.
import type { Logger } from "../../src/logger.ts";
import { renderReply } from "../../src/render/render-reply.ts";
import { conversationId, type Engine, type Turn } from "../../src/types.ts";
import { describeSlackError, type SlackSurface } from "./surface.ts";

/** Answers turns in the background, so listeners return at once and Slack's deadlines never wait on a model. */
export interface Answerer {
  /** Starts answering a turn on a surface; errors are logged, never thrown. */
  answer(turn: Turn, surface: SlackSurface): void;
  /** Waits until the answers still running finish, or until `timeoutMs` passed. */
  drain(timeoutMs: number): Promise<void>;
}

/** Creates the answerer for one adapter. */
export function createAnswerer(engine: Engine, logger: Logger): Answerer {
  const running = new Set<Promise<void>>();

  async function answerNow(turn: Turn, surface: SlackSurface): Promise<void> {
    const conversation = conversationId(turn.key);
    const startedAtMs = Date.now();
    try {
      const outcome = await renderReply(engine.reply(turn), surface);
      await surface.finish();
      const fields = {
        conversation,
        command: turn.kind,
        messages: outcome.messages.length,
        outcome: outcome.outcome,
        errorCode: outcome.errorCode,
        ms: Date.now() - startedAtMs,
      };
      if (outcome.surfaceError === undefined) logger.info(fields, "slack reply finished");
      else
        logger.warn(
          { ...fields, slackError: describeSlackError(outcome.surfaceError) },
          "slack reply incomplete",
        );
    } catch (error) {
      logger.error({ conversation, err: describeSlackError(error) }, "slack reply failed");
    }
  }

  return {
    answer(turn, surface) {
      const task = answerNow(turn, surface);
      running.add(task);
      void task.then(() => running.delete(task));
    },
    async drain(timeoutMs) {
      if (running.size === 0) return;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        if (Number.isFinite(timeoutMs)) timer = setTimeout(resolve, timeoutMs);
      });
      await Promise.race([Promise.allSettled([...running]), timeout]);
      clearTimeout(timer);
    },
  };
}
