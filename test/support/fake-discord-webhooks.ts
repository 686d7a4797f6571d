// The fake Discord's interaction routes: the callback (with its 3 s deadline) and the webhook reply and follow-ups.
import { botMessagePayload } from "./fake-discord-payloads.ts";
import type { FakeInteraction } from "./fake-discord-state.ts";
import {
  editMessage,
  type FakeDiscordWorld,
  type FakeResponse,
  failure,
  noContent,
  storeMessage,
} from "./fake-discord-world.ts";

/** POST /interactions/{id}/{token}/callback: the first answer, within 3 s, once. */
export function interactionCallback(
  world: FakeDiscordWorld,
  parameters: Record<string, string>,
  body: Record<string, unknown>,
): FakeResponse {
  const interaction = world.interactions.get(parameters.interaction_id ?? "");
  if (!interaction || interaction.token !== parameters.interaction_token) {
    return failure(
      world,
      404,
      10062,
      "Unknown interaction",
      `callback for unknown interaction ${parameters.interaction_id}`,
    );
  }
  if (interaction.callbackAtMs !== undefined) {
    return failure(
      world,
      400,
      40060,
      "Interaction has already been acknowledged.",
      `interaction ${interaction.id} acknowledged twice`,
    );
  }
  const lateByMs = Date.now() - interaction.dispatchedAtMs - world.interactionDeadlineMs;
  if (lateByMs > 0) {
    return failure(
      world,
      404,
      10062,
      "Unknown interaction",
      `interaction ${interaction.id} acknowledged ${lateByMs} ms too late`,
    );
  }
  interaction.callbackAtMs = Date.now();
  interaction.callbackBody = body;
  const data = (body.data ?? {}) as Record<string, unknown>;
  const ephemeral = (Number(data.flags ?? 0) & 64) !== 0;
  // Types 4 (message) and 5 (deferred message) create the original response; 5 shows "thinking…" until edited.
  if (body.type === 4 || body.type === 5) {
    const message = storeMessage(world, interaction.channelId, data, {
      interactionId: interaction.id,
      ephemeral,
      placeholder: body.type === 5,
    });
    interaction.messageIds.push(message.id);
  }
  return noContent;
}

/** The interaction a webhook route's token belongs to, if it was acknowledged; an error response otherwise. */
function acknowledgedInteraction(
  world: FakeDiscordWorld,
  parameters: Record<string, string>,
): FakeInteraction | FakeResponse {
  const interaction = [...world.interactions.values()].find(
    (candidate) => candidate.token === parameters.webhook_token,
  );
  if (!interaction || parameters.webhook_id !== world.applicationId) {
    return failure(
      world,
      404,
      10015,
      "Unknown Webhook",
      "webhook call with an unknown token or application id",
    );
  }
  if (interaction.callbackAtMs === undefined) {
    return failure(
      world,
      404,
      10015,
      "Unknown Webhook",
      `webhook call before interaction ${interaction.id} was acknowledged`,
    );
  }
  return interaction;
}

/** PATCH /webhooks/{app}/{token}/messages/@original or /{message_id}. */
export function editInteractionMessage(
  world: FakeDiscordWorld,
  parameters: Record<string, string>,
  body: Record<string, unknown>,
): FakeResponse {
  const interaction = acknowledgedInteraction(world, parameters);
  if ("status" in interaction) return interaction;
  const messageId = parameters.message_id ?? interaction.messageIds[0];
  const message = world.messages.get(messageId ?? "");
  if (!message || message.interactionId !== interaction.id || message.deleted) {
    return failure(world, 404, 10008, "Unknown Message", `edit of unknown interaction message ${messageId}`);
  }
  return editMessage(world, message, body, "PATCH /webhooks/…/messages");
}

/** DELETE /webhooks/{app}/{token}/messages/@original. */
export function deleteOriginal(world: FakeDiscordWorld, parameters: Record<string, string>): FakeResponse {
  const interaction = acknowledgedInteraction(world, parameters);
  if ("status" in interaction) return interaction;
  interaction.originalDeleted = true;
  const original = world.messages.get(interaction.messageIds[0] ?? "");
  if (original) original.deleted = true;
  return noContent;
}

/** POST /webhooks/{app}/{token}: a follow-up message. */
export function postFollowUp(
  world: FakeDiscordWorld,
  parameters: Record<string, string>,
  body: Record<string, unknown>,
  query: URLSearchParams,
): FakeResponse {
  const interaction = acknowledgedInteraction(world, parameters);
  if ("status" in interaction) return interaction;
  if (query.get("wait") !== "true")
    world.violations.push("follow-up sent without ?wait=true: no message id back");
  const message = storeMessage(world, interaction.channelId, body, { interactionId: interaction.id });
  interaction.messageIds.push(message.id);
  return { status: 200, body: botMessagePayload(message, world.bot) };
}
