// The renderer's surface for slash command answers: the deferred reply, then follow-ups, then the channel.
import { type REST, Routes } from "discord.js";
import type { EditPacer } from "../../src/render/edit-pacer.ts";
import type { PostedMessage, ReplyControl, ReplySurface } from "../../src/render/surface.ts";
import { controlRows } from "./control-buttons.ts";
import {
  EDIT_INTERVAL_MS,
  editedMessageBody,
  MAX_MESSAGE_LENGTH,
  messageIdOf,
  newMessageBody,
} from "./message-body.ts";

/** What an interaction surface needs. */
export interface InteractionSurfaceOptions {
  rest: REST;
  applicationId: string;
  interactionToken: string;
  /** Settles once Discord answered the deferral; a rejection means the token cannot be used. */
  deferred: Promise<unknown>;
  /** True when the reply was deferred as ephemeral (only the user sees it). */
  ephemeral: boolean;
  /** True once the interaction token is too old to use. */
  tokenExpired: () => boolean;
  /** The surface to continue in when the token cannot be used (made on first need). */
  fallback: () => ReplySurface;
  /** Budgets shared with other answers; an interaction's own messages have a budget per token, as Discord's. */
  pacer?: EditPacer;
  /** The reply's request id: set, the messages carry its controls as buttons. */
  controlsId?: string;
}

/** Names each interaction's budget without its token. */
let interactionCount = 0;

/**
 * A surface whose first post fills the deferred reply and whose further posts are follow-ups. Once the token
 * expired (Discord drops it after 15 minutes) or the deferral failed, posts go to the channel instead, and edits
 * of interaction messages become channel messages that later edits update; private answers are dropped instead.
 */
export function createInteractionSurface(options: InteractionSurfaceOptions): ReplySurface {
  const { rest, applicationId, interactionToken, ephemeral } = options;
  let originalFilled = false;
  let fallbackSurface: ReplySurface | undefined;
  const channel = (): ReplySurface => {
    fallbackSurface ??= options.fallback();
    return fallbackSurface;
  };
  // Interaction messages re-posted in the channel after the token expired, and the channel's own messages.
  const replacements = new Map<string, PostedMessage>();
  const channelMessageIds = new Set<string>();

  const tokenUsable = async (): Promise<boolean> => {
    try {
      await options.deferred;
    } catch {
      return false;
    }
    return !options.tokenExpired();
  };
  const postInChannel = async (text: string, controls?: readonly ReplyControl[]): Promise<PostedMessage> => {
    // A private answer (/usage: someone's spending) must never turn public: without the token it is dropped.
    if (ephemeral) throw new Error("private answer not shown: the interaction token can no longer be used");
    const message = await channel().post(text, controls);
    channelMessageIds.add(message.id);
    return message;
  };
  const webhookMessageRoute = (messageId: string) =>
    Routes.webhookMessage(applicationId, interactionToken, messageId);
  const budgetName = `interaction-${++interactionCount}`;
  const { controlsId } = options;
  const rows = (controls: readonly ReplyControl[] | undefined) =>
    controlsId && controls ? controlRows(controls, controlsId) : undefined;

  return {
    maxMessageLength: MAX_MESSAGE_LENGTH,
    editIntervalMs: EDIT_INTERVAL_MS,
    ...(controlsId ? { drawsControls: true } : {}),
    async budgetFor(write, message) {
      const { pacer } = options;
      if (!pacer || write === "status") return undefined;
      const replacement = message ? replacements.get(message.id) : undefined;
      if (replacement) return channel().budgetFor?.("edit", replacement);
      if (message && channelMessageIds.has(message.id)) return channel().budgetFor?.("edit", message);
      // Without the token every write is a channel post, except edits of channel messages (above).
      if (!(await tokenUsable())) return ephemeral ? undefined : channel().budgetFor?.("post");
      // Filling the deferred reply is an edit of @original; later posts are follow-ups.
      const fillsOriginal = !originalFilled && (write === "post" || (write === "error" && ephemeral));
      return pacer.budget(`${budgetName}:${write === "edit" || fillsOriginal ? "edit" : "post"}`);
    },
    async post(text, controls) {
      if (!(await tokenUsable())) return postInChannel(text, controls);
      const components = rows(controls);
      if (!originalFilled) {
        originalFilled = true;
        const body = editedMessageBody(text, components);
        return { id: messageIdOf(await rest.patch(webhookMessageRoute("@original"), { body, auth: false })) };
      }
      const response = await rest.post(Routes.webhook(applicationId, interactionToken), {
        body: newMessageBody(text, { ephemeral, ...(components ? { components } : {}) }),
        query: new URLSearchParams({ wait: "true" }),
        auth: false,
      });
      return { id: messageIdOf(response) };
    },
    async edit(message, text, controls) {
      const replacement = replacements.get(message.id);
      if (replacement) return channel().edit(replacement, text, controls);
      if (channelMessageIds.has(message.id)) return channel().edit(message, text, controls);
      if (!(await tokenUsable())) {
        replacements.set(message.id, await postInChannel(text, controls));
        return;
      }
      const body = editedMessageBody(text, rows(controls));
      await rest.patch(webhookMessageRoute(message.id), { body, auth: false });
    },
    async postError(text) {
      if (!(await tokenUsable())) {
        await postInChannel(text);
        return;
      }
      if (ephemeral && !originalFilled) {
        originalFilled = true;
        await rest.patch(webhookMessageRoute("@original"), { body: editedMessageBody(text), auth: false });
        return;
      }
      // A follow-up right after a public deferral would only replace the "thinking…" message, publicly:
      // remove that message first so the error is shown to the user alone.
      if (!originalFilled) {
        originalFilled = true;
        // Best effort: if the placeholder cannot be removed, the error must still reach the user.
        await rest.delete(webhookMessageRoute("@original"), { auth: false }).catch(() => undefined);
      }
      await rest.post(Routes.webhook(applicationId, interactionToken), {
        body: newMessageBody(text, { ephemeral: true }),
        query: new URLSearchParams({ wait: "true" }),
        auth: false,
      });
    },
  };
}
