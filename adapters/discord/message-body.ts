// The JSON of every message parley sends or edits on Discord, built in one place so none can ping anyone.
import type {
  APIActionRowComponent,
  APIButtonComponent,
  RESTPatchAPIChannelMessageJSONBody,
  RESTPostAPIChannelMessageJSONBody,
} from "discord.js";
import { MessageFlags } from "discord.js";

/** Longest content a bot message may hold, in characters. */
export const MAX_MESSAGE_LENGTH = 2000;

/** Least time between two edits of one message; Discord's edit buckets allow about one a second. */
export const EDIT_INTERVAL_MS = 1000;

/** Mentions in model output stay inert: no @everyone/@here, roles, users, nor the reply ping. */
export const NO_PINGS = {
  parse: [],
  replied_user: false,
} satisfies RESTPostAPIChannelMessageJSONBody["allowed_mentions"];

/** Body for a new message; `replyTo` shows which message is answered, without pinging its author. */
export function newMessageBody(
  content: string,
  options: { replyTo?: string; ephemeral?: boolean; components?: ButtonRows } = {},
): RESTPostAPIChannelMessageJSONBody {
  return {
    content,
    ...(options.components ? { components: options.components } : {}),
    allowed_mentions: NO_PINGS,
    ...(options.replyTo
      ? { message_reference: { message_id: options.replyTo, fail_if_not_exists: false } }
      : {}),
    ...(options.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

/** Body for an edit; it sets allowed_mentions again because Discord applies them to the edited content. */
export function editedMessageBody(
  content: string,
  components?: ButtonRows,
): RESTPatchAPIChannelMessageJSONBody {
  return { content, allowed_mentions: NO_PINGS, ...(components ? { components } : {}) };
}

/** A message's rows of buttons (its controls); an empty list removes them. */
export type ButtonRows = APIActionRowComponent<APIButtonComponent>[];

/** The id of a message Discord returned, checked rather than assumed. */
export function messageIdOf(response: unknown): string {
  if (
    typeof response === "object" &&
    response !== null &&
    "id" in response &&
    typeof response.id === "string"
  ) {
    return response.id;
  }
  throw new Error("Discord did not return a message id");
}
