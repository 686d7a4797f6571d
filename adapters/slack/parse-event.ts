// Parses Events API envelopes (app_mention, message) into user messages, and decides which ones parley answers.
import type { Attachment, ConversationKey } from "../../src/types.ts";
import { parseSlackFiles } from "./files.ts";
import { mentionsUser } from "./incoming-text.ts";
import { isRecord, recordField, recordsField, stringField } from "./json-fields.ts";

/** Message subtypes written by a person; edits, deletions, joins, bot posts and the rest are not turns. */
const USER_MESSAGE_SUBTYPES = new Set([undefined, "file_share", "thread_broadcast"]);

/** One message a person wrote, taken out of an Events API envelope. */
export interface SlackMessage {
  eventId: string | undefined;
  eventType: "app_mention" | "message";
  teamId: string;
  channel: string;
  /** "im" for a direct message with the bot; "channel", "group" or "mpim" otherwise; absent on app_mention. */
  channelType: string | undefined;
  userId: string;
  ts: string;
  threadTs: string | undefined;
  /** The text as Slack sent it (entities and control sequences included). */
  text: string;
  attachments: Attachment[];
  /** The author's display name when the event carries their profile. */
  displayName: string | undefined;
}

/** What to do with a message. */
export type MessageRoute =
  | { action: "answer"; key: ConversationKey; replyThreadTs: string | undefined }
  /** A direct message: answered in its DM thread, with a status and a title. */
  | { action: "answer-direct"; key: ConversationKey; replyThreadTs: string }
  | { action: "answer-if-known"; key: ConversationKey; replyThreadTs: string }
  | { action: "ignore"; reason: string };

/** The team the event belongs to: the envelope's, else the event's, else the first authorization's. */
function teamIdOf(body: Record<string, unknown>, event: Record<string, unknown>): string | undefined {
  return (
    stringField(body, "team_id") ??
    stringField(event, "team") ??
    recordsField(body, "authorizations")
      .map((authorization) => stringField(authorization, "team_id"))
      .find((teamId) => teamId !== undefined)
  );
}

/** The person's message in an envelope, or undefined for anything parley ignores (bots, itself, edits, …). */
export function parseMessageEnvelope(body: unknown, botUserId?: string): SlackMessage | undefined {
  if (!isRecord(body)) return undefined;
  const event = recordField(body, "event");
  if (event === undefined) return undefined;
  const eventType = stringField(event, "type");
  if (eventType !== "app_mention" && eventType !== "message") return undefined;
  if (!USER_MESSAGE_SUBTYPES.has(stringField(event, "subtype"))) return undefined;
  if (stringField(event, "bot_id") !== undefined || event.hidden === true) return undefined;
  // Slack re-sends app_mention when the mention is edited, with `edited` set: the question was answered already.
  if (event.edited !== undefined) return undefined;
  const userId = stringField(event, "user");
  const channel = stringField(event, "channel");
  const ts = stringField(event, "ts");
  const teamId = teamIdOf(body, event);
  if (!userId || !channel || !ts || !teamId || userId === botUserId) return undefined;
  const text = typeof event.text === "string" ? event.text : "";
  const attachments = parseSlackFiles(event);
  if (text.trim() === "" && attachments.length === 0) return undefined;
  const profile = recordField(event, "user_profile");
  return {
    eventId: stringField(body, "event_id"),
    eventType,
    teamId,
    channel,
    channelType: stringField(event, "channel_type"),
    userId,
    ts,
    threadTs: stringField(event, "thread_ts"),
    text,
    attachments,
    displayName: profile
      ? (stringField(profile, "display_name") ?? stringField(profile, "real_name"))
      : undefined,
  };
}

/** True for a direct-message channel with the bot. */
export function isDirectMessage(message: Pick<SlackMessage, "channel" | "channelType">): boolean {
  return (
    message.channelType === "im" || (message.channelType === undefined && message.channel.startsWith("D"))
  );
}

/** Decides whether parley answers a message, under which conversation key, and in which thread. */
export function routeMessage(message: SlackMessage, botUserId?: string): MessageRoute {
  const conversation = { platform: "slack", workspace: message.teamId, channel: message.channel };
  if (isDirectMessage(message)) {
    // DMs arrive as message.im; a mention inside one also arrives as app_mention: answer the message event only.
    if (message.eventType === "app_mention")
      return { action: "ignore", reason: "direct message answered once" };
    // Each top-level DM starts its own thread (as Slack's agent DMs show them); a reply in it continues that one.
    const thread = message.threadTs ?? message.ts;
    return { action: "answer-direct", key: { ...conversation, thread }, replyThreadTs: thread };
  }
  if (message.eventType === "app_mention") {
    const thread = message.threadTs ?? message.ts;
    return { action: "answer", key: { ...conversation, thread }, replyThreadTs: thread };
  }
  if (mentionsUser(message.text, botUserId))
    return { action: "ignore", reason: "the app_mention event answers it" };
  if (message.threadTs === undefined) return { action: "ignore", reason: "not in a thread" };
  return {
    action: "answer-if-known",
    key: { ...conversation, thread: message.threadTs },
    replyThreadTs: message.threadTs,
  };
}
