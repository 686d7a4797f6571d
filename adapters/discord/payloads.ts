// The fields of Discord's own JSON payloads that the Discord adapter reads (subsets of discord-api-types).

/** A Discord user as payloads carry it. */
export interface UserPayload {
  id: string;
  username: string;
  global_name?: string | null;
  bot?: boolean;
}

/** A guild member as payloads carry it (the user is beside it or inside it). */
export interface MemberPayload {
  nick?: string | null;
  user?: UserPayload;
  /** The member's role ids in the guild. */
  roles?: string[];
  /** Interactions only: the member's permissions in the channel, a decimal bit set. */
  permissions?: string;
}

/** One option value of a slash command or autocomplete interaction. */
export interface CommandOptionPayload {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: CommandOptionPayload[];
}

/** An INTERACTION_CREATE payload for a slash command or its autocomplete. */
export interface CommandInteractionPayload {
  id: string;
  application_id: string;
  token: string;
  type: number;
  guild_id?: string;
  channel_id?: string;
  channel?: { id: string; type: number; parent_id?: string | null };
  member?: MemberPayload;
  user?: UserPayload;
  data: {
    name: string;
    type?: number;
    options?: CommandOptionPayload[];
    /** A message command's target, which Discord resolves into `resolved.messages` (no Message Content needed). */
    target_id?: string;
    resolved?: { messages?: Record<string, MessagePayload> };
  };
}

/** An INTERACTION_CREATE payload for a press on a button of one of parley's messages (MESSAGE_COMPONENT). */
export interface ComponentInteractionPayload {
  id: string;
  application_id: string;
  token: string;
  type: number;
  guild_id?: string;
  channel_id?: string;
  member?: MemberPayload;
  user?: UserPayload;
  message?: { id: string };
  data: { custom_id: string; component_type: number };
}

/** A file attached to a message. */
export interface AttachmentPayload {
  filename: string;
  url: string;
  content_type?: string;
  size: number;
}

/** A MESSAGE_CREATE payload. */
export interface MessagePayload {
  id: string;
  channel_id: string;
  guild_id?: string;
  type: number;
  content: string;
  author: UserPayload;
  member?: MemberPayload;
  webhook_id?: string;
  mentions: (UserPayload & { member?: MemberPayload })[];
  attachments: AttachmentPayload[];
  message_reference?: { type?: number; message_id?: string; channel_id?: string };
  referenced_message?: { author: { id: string } } | null;
  /** A forwarded message: its content and files, which Discord leaves out of the forward's own fields. */
  message_snapshots?: { message: ForwardedMessagePayload }[];
}

/** The part of a forwarded message that a forward carries. */
export interface ForwardedMessagePayload {
  content?: string;
  attachments?: AttachmentPayload[];
  mentions?: UserPayload[];
}

/** What the adapter knows about the channel a message arrived in (from discord.js's cache). */
export interface ChannelFacts {
  id: string;
  type: number;
  parentId?: string | null;
}
