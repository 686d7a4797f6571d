// Answers messages: mentions open a thread, threads with a conversation continue, DMs always answer.
import { type REST, Routes } from "discord.js";
import { slashCommand } from "../../src/command-names.ts";
import type { ReplyControls } from "../../src/controls/reply-controls.ts";
import { badInput } from "../../src/errors.ts";
import type { Logger } from "../../src/logger.ts";
import { claimToAnswer } from "../../src/ops/claim-event.ts";
import type { TurnLifecycle } from "../../src/ops/turn-lifecycle.ts";
import { useTheSettingsCommand } from "../../src/policy/admins.ts";
import type { EditPacer } from "../../src/render/edit-pacer.ts";
import type { RenderOutcome } from "../../src/render/render-reply.ts";
import { renderReply } from "../../src/render/render-reply.ts";
import type { RenderClock } from "../../src/render/surface.ts";
import type { AttachmentReader, Engine, ReplyEvent, Turn } from "../../src/types.ts";
import { type ChannelTarget, createChannelSurface } from "./channel-surface.ts";
import { errorForLog, logSurfaceError } from "./log-error.ts";
import { DISCORD_PLATFORM, planMessage } from "./parse.ts";
import type { ChannelFacts, MessagePayload } from "./payloads.ts";
import { startTyping } from "./typing.ts";

/** What the message handler needs. */
export interface MessageHandlerOptions {
  rest: REST;
  engine: Engine;
  /** Runs each message's turn: request id, replies in flight, the "turn finished" line. */
  lifecycle: TurnLifecycle;
  logger: Logger;
  clock: RenderClock;
  /** The bot's own user id (known once logged in). */
  botUserId: () => string | undefined;
  /** The channel a guild message arrived in, from discord.js's cache or Discord. */
  resolveChannel: (channelId: string) => Promise<ChannelFacts | undefined>;
  readAttachment: AttachmentReader;
  typingIntervalMs?: number;
  /** Message budgets per channel, shared by every answer. */
  pacer?: EditPacer;
  /** Set, answers carry their controls (Stop, 👍/👎, Retry) as buttons. */
  controls?: ReplyControls;
  /** COMMAND_PREFIX, for sentences that name a command. */
  commandPrefix?: string;
}

/** Handles one MESSAGE_CREATE payload; rejects only on unexpected failures (the caller logs them). */
export function createMessageHandler(
  options: MessageHandlerOptions,
): (message: MessagePayload) => Promise<void> {
  const { rest, engine, lifecycle, clock } = options;

  /** Opens a thread on the message (Discord gives it the message's id); answers in place if that fails. */
  const openThread = async (
    message: MessagePayload,
    name: string,
    logger: Logger,
  ): Promise<ChannelTarget> => {
    try {
      await rest.post(Routes.threads(message.channel_id, message.id), { body: { name } });
      return { channelId: message.id };
    } catch (error) {
      logger.warn({ error: errorForLog(error), channel: message.channel_id }, "discord thread not opened");
      return { channelId: message.channel_id, replyToMessageId: message.id };
    }
  };

  const answer = async (
    events: AsyncIterable<ReplyEvent>,
    target: ChannelTarget | Promise<ChannelTarget>,
    logger: Logger,
    requestId: string,
  ): Promise<RenderOutcome> => {
    let typing: { stop(): void } | undefined;
    let firstPosted = false;
    const surface = createChannelSurface({
      rest,
      target,
      ...(options.pacer ? { pacer: options.pacer } : {}),
      ...(options.controls ? { controlsId: requestId } : {}),
      onFirstPost: () => {
        firstPosted = true;
        typing?.stop();
      },
    });
    // The provider call starts first; the typing indicator runs beside it, in the channel the answer goes to.
    const rendering = renderReply(events, surface, clock);
    Promise.resolve(target)
      .then(({ channelId }) => {
        if (firstPosted) return;
        typing = startTyping(() => rest.post(Routes.channelTyping(channelId)), {
          ...(options.typingIntervalMs ? { intervalMs: options.typingIntervalMs } : {}),
          onError: (error) => logger.debug({ error: errorForLog(error) }, "discord typing failed"),
        });
      })
      .catch(() => undefined);
    const rendered = await rendering.finally(() => {
      firstPosted = true;
      typing?.stop();
    });
    logSurfaceError(logger, rendered);
    return rendered;
  };

  return async (message) => {
    const botUserId = options.botUserId();
    // Cheap checks first: most messages in a busy guild are not for parley.
    if (!botUserId || message.author.bot || message.author.id === botUserId) return;
    const channel = message.guild_id ? await options.resolveChannel(message.channel_id) : undefined;
    const plan = planMessage(message, { botUserId, ...(channel ? { channel } : {}) });
    if (plan.action === "ignore") return;
    // Outside the allow-lists a message is left alone: no reply, no claim.
    if (!engine.access(plan.turn).allowed) return;
    if (plan.action === "answer-if-conversation" && !(await engine.hasConversation(plan.turn.key))) return;
    // Two parley processes on one bot token (a rolling deploy) both receive the message: one answers.
    if (!(await claimToAnswer(engine, DISCORD_PLATFORM, message.id, options.logger))) return;
    // Where a mention's answer goes is known once its thread is (or is not) opened, beside the provider call.
    let settleThread: (target: ChannelTarget) => void = () => undefined;
    const thread = new Promise<ChannelTarget>((resolve) => {
      settleThread = resolve;
    });
    const turn: Turn = {
      ...plan.turn,
      // A message carries no permissions: Manage Server is known only to the /settings command itself.
      ...(message.guild_id
        ? {
            author: {
              ...plan.turn.author,
              isPlatformAdmin: settingsNeedTheCommand(options.commandPrefix ?? ""),
            },
          }
        : {}),
      ...(plan.turn.attachments ? { readAttachment: options.readAttachment } : {}),
      ...(plan.action === "open-thread"
        ? {
            historyKey: thread.then((target) =>
              target.replyToMessageId === undefined ? plan.turn.key : plan.fallbackKey,
            ),
          }
        : {}),
    };
    await lifecycle.run(
      turn,
      ({ events, logger, requestId }) =>
        answer(
          events,
          plan.action === "open-thread"
            ? openThread(message, plan.threadName, logger).then((target) => {
                settleThread(target);
                return target;
              })
            : { channelId: message.channel_id, ...(plan.replyTo ? { replyToMessageId: plan.replyTo } : {}) },
          logger,
          requestId,
        ),
      { logger: options.logger },
    );
  };
}

/** The answer to "is this author an admin?" for a message: ask with the slash command, which says. */
function settingsNeedTheCommand(commandPrefix: string): () => Promise<boolean> {
  return async () => {
    throw badInput(useTheSettingsCommand(slashCommand("settings", commandPrefix)));
  };
}
