// The renderer's surface for answers posted as ordinary channel or thread messages (mentions, DMs, fallbacks).
import { type REST, Routes } from "discord.js";
import type { BudgetRate, EditPacer } from "../../src/render/edit-pacer.ts";
import type { PostedMessage, ReplyControl, ReplySurface } from "../../src/render/surface.ts";
import { controlRows } from "./control-buttons.ts";
import {
  EDIT_INTERVAL_MS,
  editedMessageBody,
  MAX_MESSAGE_LENGTH,
  messageIdOf,
  newMessageBody,
} from "./message-body.ts";

/**
 * Writes one channel takes for each kind (posts, edits) in a sliding window, shared by every answer in it. Discord
 * limits message routes per channel (their top-level resource) and publishes the numbers only in headers: this is
 * a conservative default, and discord.js still obeys the headers if Discord's are stricter.
 */
export const DISCORD_CHANNEL_BUDGET: BudgetRate = { limit: 5, windowMs: 5_000 };

/** Where the answer goes: a channel or thread, and the message the first post answers. */
export interface ChannelTarget {
  channelId: string;
  replyToMessageId?: string;
}

/** What a channel surface needs. */
export interface ChannelSurfaceOptions {
  rest: REST;
  /** The target, or a promise of it while a thread is being opened. */
  target: ChannelTarget | Promise<ChannelTarget>;
  /** Called before the first message goes out (stops the typing indicator). */
  onFirstPost?: () => void;
  /** The channel budgets every answer shares (none: edits are spaced per message only). */
  pacer?: EditPacer;
  /** The reply's request id: set, the messages carry its controls as buttons. */
  controlsId?: string;
}

/** A surface that posts and edits messages in one channel or thread; only the first post is a reply. */
export function createChannelSurface(options: ChannelSurfaceOptions): ReplySurface {
  const { rest } = options;
  let posted = 0;
  const { controlsId } = options;
  const rows = (controls: readonly ReplyControl[] | undefined) =>
    controlsId && controls ? controlRows(controls, controlsId) : undefined;
  const post = async (text: string, controls?: readonly ReplyControl[]): Promise<PostedMessage> => {
    const target = await options.target;
    if (posted === 0) options.onFirstPost?.();
    const replyTo = posted === 0 ? target.replyToMessageId : undefined;
    posted += 1;
    const components = rows(controls);
    const body = newMessageBody(text, {
      ...(replyTo ? { replyTo } : {}),
      ...(components ? { components } : {}),
    });
    const response = await rest.post(Routes.channelMessages(target.channelId), { body });
    return { id: messageIdOf(response) };
  };
  return {
    maxMessageLength: MAX_MESSAGE_LENGTH,
    editIntervalMs: EDIT_INTERVAL_MS,
    post,
    ...(controlsId ? { drawsControls: true } : {}),
    async budgetFor(write) {
      if (!options.pacer || write === "status") return undefined;
      const { channelId } = await options.target;
      return options.pacer.budget(`${write === "edit" ? "edit" : "post"}:${channelId}`);
    },
    async edit(message, text, controls) {
      const target = await options.target;
      await rest.patch(Routes.channelMessage(target.channelId, message.id), {
        body: editedMessageBody(text, rows(controls)),
      });
    },
    async postError(text) {
      await post(text);
    },
  };
}
