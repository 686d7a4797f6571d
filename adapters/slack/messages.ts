// Listens for mentions, thread follow-ups and direct messages, and answers each message exactly once.
import type { App } from "@slack/bolt";
import type { Logger } from "../../src/logger.ts";
import { claimToAnswer } from "../../src/ops/claim-event.ts";
import type { Engine } from "../../src/types.ts";
import { answerInDirectThread, directThreadControls } from "./direct-thread.ts";
import type { SlackHandlerDependencies } from "./handler-dependencies.ts";
import { parseMessageEnvelope, routeMessage, type SlackMessage } from "./parse-event.ts";
import { createSlackSurface, postPlaceholder } from "./surface.ts";
import { messageTurn } from "./turns.ts";
import type { ViewingContexts } from "./viewing-context.ts";

/**
 * Claims a message for this process: its event id (Slack retries a delivery with the same id) and the message
 * itself (a mention arrives twice, as app_mention and as message, with different event ids).
 */
export async function claimMessage(engine: Engine, message: SlackMessage, logger: Logger): Promise<boolean> {
  // Both claims at once (one round trip on Redis): a retried delivery finds both taken by its first delivery.
  const claims = await Promise.all([
    message.eventId === undefined ? true : claimToAnswer(engine, "slack", message.eventId, logger),
    claimToAnswer(engine, "slack", `message:${message.channel}:${message.ts}`, logger),
  ]);
  return claims.every(Boolean);
}

/** Registers the app_mention and message listeners. */
export function registerMessageListeners(
  app: App,
  deps: SlackHandlerDependencies,
  viewing: ViewingContexts,
): void {
  const { engine, answerer, logger } = deps;

  const onMessage = async (args: {
    body: unknown;
    context: { botUserId?: string };
    client: App["client"];
  }): Promise<void> => {
    const botUserId = args.context.botUserId;
    const message = parseMessageEnvelope(args.body, botUserId);
    if (message === undefined) return;
    const route = routeMessage(message, botUserId);
    if (route.action === "ignore" || !answerer.accepting()) return;
    if (route.action === "answer-direct") {
      await answerInDirectThread({
        deps,
        client: args.client,
        message,
        threadTs: route.replyThreadTs,
        botUserId,
        controls: directThreadControls(args.client, message.channel, route.replyThreadTs),
        viewingNote: viewing.note(message.teamId, message.userId),
      });
      return;
    }
    const turnOf = (displayName: string) =>
      messageTurn({
        message,
        key: route.key,
        kind: route.action === "answer" ? "mention" : "follow-up",
        displayName,
        botUserId,
        readAttachment: deps.readAttachment,
        isPlatformAdmin: () => deps.adminStatus(args.client, message.userId),
      });
    // Outside the allow-lists a message is left alone: no reply, no claim.
    if (!engine.access(turnOf(message.userId)).allowed) return;
    if (route.action === "answer-if-known" && !(await engine.hasConversation(route.key))) return;
    if (!(await claimMessage(engine, message, logger))) {
      logger.debug({ eventId: message.eventId }, "slack message already answered");
      return;
    }
    // A natively streamed answer shows itself from its first piece; otherwise a placeholder holds its place, posted
    // beside the engine's work, not before it.
    const target = { channel: message.channel, threadTs: route.replyThreadTs };
    const streams = deps.streaming.streams(message.teamId) && route.replyThreadTs !== undefined;
    const placeholder = streams ? undefined : postPlaceholder(args.client, target, logger);
    const displayName = message.displayName ?? (await deps.displayName(args.client, message.userId));
    const turn = turnOf(displayName);
    answerer.answer(turn, (turnLogger) =>
      createSlackSurface({
        client: args.client,
        channel: message.channel,
        threadTs: route.replyThreadTs,
        logger: turnLogger,
        editIntervalMs: deps.editIntervalMs,
        updateBudget: deps.editPacer.budget(turn.key.workspace),
        ...(placeholder ? { placeholder } : {}),
        ...(streams
          ? {
              streamTo: {
                recipientUserId: message.userId,
                recipientTeamId: message.teamId,
                workspaces: deps.streaming,
              },
            }
          : {}),
      }),
    );
  };

  app.event("app_mention", onMessage);
  app.event("message", onMessage);
}
