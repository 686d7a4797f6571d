// Builds the JSON the fake Discord sends to the bot: snowflakes, users, guilds, channels, messages, interactions.
import type { FakeMessage } from "./fake-discord-state.ts";

const DISCORD_EPOCH_MS = 1_420_070_400_000n;
let lastIdMs = 0n;
let sequence = 0n;
let shardSequence = 0n;

/** A new snowflake carrying the current time, like Discord's (the bot reads an interaction's age from it). */
export function snowflake(): string {
  const nowMs = BigInt(Date.now());
  sequence = nowMs === lastIdMs ? sequence + 1n : 0n;
  lastIdMs = nowMs;
  return String(((nowMs - DISCORD_EPOCH_MS) << 22n) | (sequence & 0xfffn));
}

/** A snowflake (a guild id, say) whose events Discord routes to `shardId` of `shardCount`: a few ms back in time. */
export function snowflakeOnShard(shardId: number, shardCount: number): string {
  const count = BigInt(shardCount);
  const nowMs = BigInt(Date.now()) - DISCORD_EPOCH_MS;
  const timestampMs = nowMs - ((nowMs - BigInt(shardId) + count) % count);
  // The worker-id bit (plain snowflakes leave it 0) and a counter of its own keep a moved-back id unique.
  shardSequence = (shardSequence + 1n) & 0xfffn;
  return String((timestampMs << 22n) | (1n << 17n) | shardSequence);
}

/** A Discord user as payloads carry it. */
export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  bot?: boolean;
}

/** A channel the fake knows: guild text channels, forums, threads and DMs. */
export interface FakeChannel {
  id: string;
  type: number;
  name?: string;
  guild_id?: string;
  parent_id?: string;
}

/** Channel types used by the fake (Discord's numbers). */
export const CHANNEL_TYPES = { text: 0, dm: 1, groupDm: 3, publicThread: 11, forum: 15 } as const;

/** READY's `d`: the bot user, its one guild (still unavailable until GUILD_CREATE) and where to resume. */
export function readyPayload(bot: FakeUser, guildId: string, resumeUrl: string): Record<string, unknown> {
  return {
    v: 10,
    user: { ...bot, discriminator: "0", avatar: null, verified: true, flags: 0 },
    guilds: [{ id: guildId, unavailable: true }],
    session_id: "fake-session",
    resume_gateway_url: resumeUrl,
    application: { id: bot.id, flags: 0 },
    private_channels: [],
    relationships: [],
    shard: [0, 1],
  };
}

/** Full channel JSON for GUILD_CREATE, GET /channels/{id} and THREAD_CREATE. */
export function channelPayload(channel: FakeChannel, ownerId?: string): Record<string, unknown> {
  const base: Record<string, unknown> = { id: channel.id, type: channel.type, flags: 0 };
  if (channel.guild_id)
    Object.assign(base, { guild_id: channel.guild_id, position: 0, permission_overwrites: [] });
  if (channel.name !== undefined) base.name = channel.name;
  if (channel.parent_id) base.parent_id = channel.parent_id;
  if (channel.type === CHANNEL_TYPES.publicThread) {
    Object.assign(base, {
      owner_id: ownerId,
      message_count: 0,
      member_count: 1,
      thread_metadata: {
        archived: false,
        auto_archive_duration: 1440,
        archive_timestamp: new Date().toISOString(),
        locked: false,
      },
    });
  }
  if (channel.type === CHANNEL_TYPES.dm || channel.type === CHANNEL_TYPES.groupDm) base.recipients = [];
  return base;
}

/** GUILD_CREATE's guild, with its channels and active threads. */
export function guildPayload(
  guildId: string,
  ownerId: string,
  channels: FakeChannel[],
): Record<string, unknown> {
  const inGuild = channels.filter((channel) => channel.guild_id === guildId);
  return {
    id: guildId,
    name: "Fake Guild",
    icon: null,
    owner_id: ownerId,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    system_channel_flags: 0,
    preferred_locale: "en-US",
    features: [],
    roles: [
      {
        id: guildId,
        name: "@everyone",
        permissions: "0",
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    emojis: [],
    stickers: [],
    members: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    member_count: 2,
    large: false,
    unavailable: false,
    joined_at: new Date().toISOString(),
    channels: inGuild
      .filter((channel) => channel.type !== CHANNEL_TYPES.publicThread)
      .map((channel) => channelPayload(channel)),
    threads: inGuild
      .filter((channel) => channel.type === CHANNEL_TYPES.publicThread)
      .map((channel) => channelPayload(channel)),
  };
}

/** A guild member for a user (interactions and guild messages carry one). */
function memberPayload(nick: string | null, roles: string[] = []): Record<string, unknown> {
  return {
    roles,
    joined_at: new Date().toISOString(),
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    nick,
  };
}

/** What a test says about a message a user sends. */
export interface UserMessageInput {
  channel: FakeChannel;
  author: FakeUser;
  content: string;
  nick?: string | null;
  /** Users the content mentions (`<@id>`), the bot included when mentioned. */
  mentions: FakeUser[];
  /** The message this one replies to. */
  replyTo?: FakeMessage;
  /** The author's role ids in the guild (default none). */
  roles?: string[];
  /** Author of the message replied to (for `referenced_message`). */
  replyToAuthor?: FakeUser;
  attachments: { id: string; filename: string; url: string; content_type: string; size: number }[];
  /** A forward: the message's own content is empty and the forwarded one travels in `message_snapshots`. */
  forwarded?: {
    content: string;
    attachments: { id: string; filename: string; url: string; content_type: string; size: number }[];
  };
}

/** Discord's message flag for a message that carries a forwarded one (HAS_SNAPSHOT). */
const HAS_SNAPSHOT_FLAG = 1 << 14;

/** MESSAGE_CREATE's message for a user's message. */
export function userMessagePayload(id: string, input: UserMessageInput): Record<string, unknown> {
  const guildId = input.channel.guild_id;
  const payload: Record<string, unknown> = {
    id,
    channel_id: input.channel.id,
    author: input.author,
    content: input.content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: input.mentions,
    mention_roles: [],
    attachments: input.attachments,
    embeds: [],
    components: [],
    pinned: false,
    flags: 0,
    type: input.replyTo ? 19 : 0,
  };
  if (guildId) {
    payload.guild_id = guildId;
    payload.member = memberPayload(input.nick ?? null, input.roles);
  }
  if (input.forwarded) {
    // Discord forwards without text of the forwarder's own: a comment goes in a message of its own.
    payload.content = "";
    payload.flags = HAS_SNAPSHOT_FLAG;
    payload.message_reference = { type: 1, message_id: snowflake(), channel_id: snowflake() };
    payload.message_snapshots = [
      {
        message: {
          type: 0,
          content: input.forwarded.content,
          embeds: [],
          attachments: input.forwarded.attachments,
          timestamp: new Date().toISOString(),
          edited_timestamp: null,
          flags: 0,
          mentions: [],
          mention_roles: [],
          components: [],
        },
      },
    ];
  }
  if (input.replyTo) {
    payload.message_reference = {
      type: 0,
      message_id: input.replyTo.id,
      channel_id: input.replyTo.channelId,
      guild_id: guildId,
    };
    payload.referenced_message = botMessagePayload(
      input.replyTo,
      input.replyToAuthor ?? input.author,
      guildId,
    );
  }
  return payload;
}

/** A message as Discord returns it from REST (and dispatches it) once stored. */
export function botMessagePayload(
  message: FakeMessage,
  author: FakeUser,
  guildId?: string,
): Record<string, unknown> {
  return {
    id: message.id,
    channel_id: message.channelId,
    ...(guildId ? { guild_id: guildId } : {}),
    author,
    content: message.content,
    timestamp: new Date(message.createdAtMs).toISOString(),
    edited_timestamp: message.edits.length > 0 ? new Date().toISOString() : null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    components: [],
    pinned: false,
    flags: message.ephemeral ? 64 : 0,
    type: message.replyTo ? 19 : message.interactionId ? 20 : 0,
    ...(message.replyTo
      ? { message_reference: { type: 0, message_id: message.replyTo, channel_id: message.channelId } }
      : {}),
  };
}

/** What a test says about a slash command (or its autocomplete) a user runs. */
export interface InteractionInput {
  id: string;
  token: string;
  applicationId: string;
  type: 2 | 4;
  command: string;
  options: { name: string; value: string; focused?: boolean; type?: number }[];
  channel: FakeChannel;
  user: FakeUser;
  /** The subcommand the options belong to (Discord nests them inside it). */
  subcommand?: string;
  /** The member's permissions in the channel (default MEMBER_PERMISSIONS: no Manage Server). */
  permissions?: string;
  /** The member's role ids. */
  roles?: string[];
  /** A message command's target message (Discord resolves it into the interaction). */
  messageTarget?: Record<string, unknown>;
}

/** An ordinary member's permissions in a channel: everything a member usually has, Manage Server not included. */
export const MEMBER_PERMISSIONS = "2248473465835073";
/** MEMBER_PERMISSIONS plus Manage Server. */
export const MANAGE_SERVER_PERMISSIONS = String(BigInt(MEMBER_PERMISSIONS) | (1n << 5n));

/** The options as Discord sends them: inside the subcommand when there is one. */
function nestedInSubcommand(
  subcommand: string | undefined,
  options: Record<string, unknown>[],
): Record<string, unknown>[] {
  return subcommand === undefined ? options : [{ name: subcommand, type: 1, options }];
}

/** INTERACTION_CREATE's interaction. */
export function interactionPayload(input: InteractionInput): Record<string, unknown> {
  const guildId = input.channel.guild_id;
  return {
    id: input.id,
    application_id: input.applicationId,
    type: input.type,
    token: input.token,
    version: 1,
    channel_id: input.channel.id,
    channel: channelPayload(input.channel),
    ...(guildId
      ? {
          guild_id: guildId,
          member: {
            ...memberPayload(null, input.roles),
            user: input.user,
            permissions: input.permissions ?? MEMBER_PERMISSIONS,
          },
        }
      : { user: input.user }),
    app_permissions: "2248473465835073",
    locale: "en-US",
    entitlements: [],
    // A group DM is reached only through an install to the user's account (PRIVATE_CHANNEL), never the bot's DM.
    authorizing_integration_owners: guildId ? { "0": guildId } : { "1": input.user.id },
    context: guildId ? 0 : input.channel.type === CHANNEL_TYPES.groupDm ? 2 : 1,
    attachment_size_limit: 10_485_760,
    data: input.messageTarget
      ? {
          id: `${input.command}-command-id`,
          name: input.command,
          type: 3,
          target_id: input.messageTarget.id,
          resolved: { messages: { [String(input.messageTarget.id)]: input.messageTarget } },
        }
      : {
          id: `${input.command}-command-id`,
          name: input.command,
          type: 1,
          options: nestedInSubcommand(
            input.subcommand,
            input.options.map((option) => ({
              name: option.name,
              type: option.type ?? 3,
              value: option.value,
              ...(option.focused ? { focused: true } : {}),
            })),
          ),
        },
  };
}
