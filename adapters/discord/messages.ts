// Answers messages: mentions open a thread, threads with a conversation continue, DMs always answer.
import { type REST, Routes } from "discord.js";
import type { Logger } from "../../src/logger.ts";
import type { EditPacer } from "../../src/render/edit-pacer.ts";
import { renderReply } from "../../src/render/render-reply.ts";
import type { RenderClock } from "../../src/render/surface.ts";
import type { AttachmentReader, Engine, Turn } from "../../src/types.ts";
import { type ChannelTarget, createChannelSurface } from "./channel-surface.ts";
import { errorForLog, logAnswered } from "./log-error.ts";
import { DISCORD_PLATFORM, planMessage } from "./parse.ts";
import type { ChannelFacts, MessagePayload } from "./payloads.ts";
import { startTyping } from "./typing.ts";

/** What the message handler needs. */
export interface MessageHandlerOptions {
  rest: REST;
  engine: Engine;
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
}

/** Handles one MESSAGE_CREATE payload; rejects only on unexpected failures (the caller logs them). */
export function createMessageHandler(
  options: MessageHandlerOptions,
): (message: MessagePayload) => Promise<void> {
  const { rest, engine, logger, clock } = options;

  /** Opens a thread on the message (Discord gives it the message's id); answers in place if that fails. */
  const openThread = async (message: MessagePayload, name: string): Promise<ChannelTarget> => {
    try {
      await rest.post(Routes.threads(message.channel_id, message.id), { body: { name } });
      return { channelId: message.id };
    } catch (error) {
      logger.warn({ error: errorForLog(error), channel: message.channel_id }, "discord thread not opened");
      return { channelId: message.channel_id, replyToMessageId: message.id };
    }
  };

  const answer = async (turn: Turn, target: ChannelTarget | Promise<ChannelTarget>): Promise<void> => {
    const startedMs = clock.now();
    let typing: { stop(): void } | undefined;
    let firstPosted = false;
    const surface = createChannelSurface({
      rest,
      target,
      ...(options.pacer ? { pacer: options.pacer } : {}),
      onFirstPost: () => {
        firstPosted = true;
        typing?.stop();
      },
    });
    // The provider call starts first; the typing indicator runs beside it, in the channel the answer goes to.
    const rendering = renderReply(engine.reply(turn), surface, clock);
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
    logAnswered(logger, turn, rendered, clock.now() - startedMs, "message");
  };

  return async (message) => {
    const botUserId = options.botUserId();
    // Cheap checks first: most messages in a busy guild are not for parley.
    if (!botUserId || message.author.bot || message.author.id === botUserId) return;
    const channel = message.guild_id ? await options.resolveChannel(message.channel_id) : undefined;
    const plan = planMessage(message, { botUserId, ...(channel ? { channel } : {}) });
    if (plan.action === "ignore") return;
    if (plan.action === "answer-if-conversation" && !(await engine.hasConversation(plan.turn.key))) return;
    // Two parley processes on one bot token (a rolling deploy) both receive the message: one answers.
    if (!(await engine.claimEvent(DISCORD_PLATFORM, message.id))) return;
    const turn: Turn = plan.turn.attachments
      ? { ...plan.turn, readAttachment: options.readAttachment }
      : plan.turn;
    if (plan.action === "open-thread") {
      await answer(turn, openThread(message, plan.threadName));
      return;
    }
    await answer(turn, {
      channelId: message.channel_id,
      ...(plan.replyTo ? { replyToMessageId: plan.replyTo } : {}),
    });
  };
}
