// The fake Discord's message components: the buttons a bot message carries now, and the press a user sends.
import {
  botMessagePayload,
  type FakeChannel,
  type FakeUser,
  interactionPayload,
} from "./fake-discord-payloads.ts";
import type { FakeMessage } from "./fake-discord-state.ts";

/** The custom ids of the buttons a message carries now: the last body that set `components` decides. */
export function buttonIdsOf(message: FakeMessage): string[] {
  const withComponents = message.bodies.findLast((body) => "components" in body);
  const rows = (withComponents?.components ?? []) as { components?: { custom_id?: string }[] }[];
  return rows.flatMap((row) => (row.components ?? []).map((button) => button.custom_id ?? ""));
}

/** An INTERACTION_CREATE payload for a button press (type 3, MESSAGE_COMPONENT), as Discord sends it. */
export function componentPayload(input: {
  id: string;
  token: string;
  applicationId: string;
  channel: FakeChannel;
  user: FakeUser;
  permissions?: string;
  message: FakeMessage;
  bot: FakeUser;
  customId: string;
}): Record<string, unknown> {
  const base = interactionPayload({
    id: input.id,
    token: input.token,
    applicationId: input.applicationId,
    type: 2,
    command: "",
    options: [],
    channel: input.channel,
    user: input.user,
    ...(input.permissions ? { permissions: input.permissions } : {}),
  });
  return {
    ...base,
    type: 3,
    message: botMessagePayload(input.message, input.bot),
    data: { custom_id: input.customId, component_type: 2 },
  };
}
