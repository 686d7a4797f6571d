// Pure translation of Discord's JSON (slash commands and messages) into parley's Turn: no I/O, fixtures in tests.
import { ApplicationCommandOptionType, ChannelType, MessageType, PermissionFlagsBits } from "discord.js";
import { commandForName } from "../../src/command-names.ts";
import { type CommandSpec, findSubcommand, type SubcommandSpec } from "../../src/commands.ts";
import type { Attachment, Author, ConversationKey, Turn } from "../../src/types.ts";
import type {
  ChannelFacts,
  CommandInteractionPayload,
  CommandOptionPayload,
  MemberPayload,
  MessagePayload,
  UserPayload,
} from "./payloads.ts";

/** The platform name in every Discord conversation key. */
export const DISCORD_PLATFORM = "discord";

/** The workspace part of keys for direct messages, which belong to no guild. */
export const DIRECT_MESSAGE_WORKSPACE = "dm";

/** Discord's longest thread name, in characters. */
export const MAX_THREAD_NAME_LENGTH = 100;

const THREAD_TYPES: ReadonlySet<number> = new Set([
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
]);

/** Channels where a message can start a thread. */
const THREAD_STARTING_TYPES: ReadonlySet<number> = new Set([
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
]);

/** True for threads and forum posts. */
export function isThread(channelType: number | undefined): boolean {
  return channelType !== undefined && THREAD_TYPES.has(channelType);
}

/**
 * The conversation a channel or thread holds. A thread is keyed under its parent channel, so per-channel
 * settings reach it; a plain channel (or DM) is its own thread. So a slash command in a plain channel talks to
 * that channel's own conversation, apart from the threads mentions open there; inside a thread it joins the
 * thread's conversation, mention-opened or not.
 */
export function conversationKey(
  guildId: string | undefined,
  channelId: string,
  thread?: { id: string; parentId?: string | null },
): ConversationKey {
  return {
    platform: DISCORD_PLATFORM,
    workspace: guildId ?? DIRECT_MESSAGE_WORKSPACE,
    channel: thread ? (thread.parentId ?? thread.id) : channelId,
    thread: thread ? thread.id : channelId,
  };
}

/** Administrator and Manage Server: either lets a member change parley's settings. */
const ADMIN_PERMISSIONS = PermissionFlagsBits.Administrator | PermissionFlagsBits.ManageGuild;

/** The author of an interaction or message: the guild nickname wins over the global name and username. */
export function authorOf(user: UserPayload, member?: MemberPayload): Author {
  const permissions = member?.permissions;
  return {
    id: user.id,
    displayName: member?.nick || user.global_name || user.username,
    isBot: user.bot === true,
    ...(member?.roles ? { roles: member.roles } : {}),
    // Interactions carry the member's permissions; messages do not (ADMIN_USERS still counts there).
    ...(permissions === undefined ? {} : { isPlatformAdmin: async () => hasAdminPermission(permissions) }),
  };
}

/** True when a permission bit set (Discord's decimal string) holds Administrator or Manage Server. */
export function hasAdminPermission(permissions: string): boolean {
  if (!/^\d+$/.test(permissions)) return false;
  return (BigInt(permissions) & ADMIN_PERMISSIONS) !== 0n;
}

/** The turn a slash command asks for, or undefined when the command is not parley's or has no user. The
 *  command's name is the registry's with `commandPrefix` (COMMAND_PREFIX) in front. */
export function parseCommandInteraction(
  interaction: CommandInteractionPayload,
  commandPrefix: string,
): Turn | undefined {
  const spec = commandForName(interaction.data.name, commandPrefix);
  const user = interaction.member?.user ?? interaction.user;
  const channelId = interaction.channel?.id ?? interaction.channel_id;
  if (!spec || !user || !channelId) return undefined;
  const { subcommand, given } = chosenSubcommand(spec, interaction.data.options ?? []);
  const declared = subcommand?.options ?? spec.options;
  const values = new Map<string, string>();
  for (const option of given) {
    if (option.value !== undefined) values.set(option.name, String(option.value));
  }
  const mainOption = declared.find((option) => option.isMainText);
  const options: Record<string, string | undefined> = {};
  for (const option of declared) {
    if (option !== mainOption && values.has(option.name)) options[option.name] = values.get(option.name);
  }
  const channel = interaction.channel;
  const thread =
    channel && isThread(channel.type) ? { id: channel.id, parentId: channel.parent_id } : undefined;
  return {
    key: conversationKey(interaction.guild_id, channelId, thread),
    author: authorOf(user, interaction.member),
    kind: spec.name,
    text: (mainOption ? values.get(mainOption.name) : undefined)?.trim() ?? "",
    ...(subcommand ? { subcommand: subcommand.name } : {}),
    ...(Object.keys(options).length > 0 ? { options } : {}),
    ...(interaction.guild_id === undefined ? { venue: "direct" as const } : {}),
  };
}

/** The subcommand an interaction chose (Discord nests its options inside it), or the command's own options. */
function chosenSubcommand(
  spec: CommandSpec,
  given: CommandOptionPayload[],
): { subcommand?: SubcommandSpec; given: CommandOptionPayload[] } {
  if (!spec.subcommands) return { given };
  const chosen = given.find((option) => option.type === ApplicationCommandOptionType.Subcommand);
  const subcommand = chosen ? findSubcommand(spec, chosen.name) : undefined;
  return subcommand ? { subcommand, given: chosen?.options ?? [] } : { given: [] };
}

/** The option being typed in an autocomplete interaction, with what has been typed so far. */
export function focusedOption(
  interaction: CommandInteractionPayload,
): { name: string; typed: string; subcommand?: string } | undefined {
  const given = interaction.data.options ?? [];
  const chosen = given.find((option) => option.type === ApplicationCommandOptionType.Subcommand);
  const option = (chosen?.options ?? given).find((candidate) => candidate.focused);
  if (!option) return undefined;
  return {
    name: option.name,
    typed: String(option.value ?? ""),
    ...(chosen ? { subcommand: chosen.name } : {}),
  };
}

/** What to do with one message. */
export type MessagePlan =
  | { action: "ignore"; reason: string }
  /**
   * A mention in a plain channel: open a thread on the message (same id as the message) and answer there. If the
   * thread cannot be opened, the answer goes in the channel and its exchange under `fallbackKey`, the
   * conversation that replies in the channel continue.
   */
  | { action: "open-thread"; turn: Turn; threadName: string; fallbackKey: ConversationKey }
  /** Answer in the channel or thread the message is in; `replyTo` marks which message is answered. */
  | { action: "answer"; turn: Turn; replyTo?: string }
  /** A message in a thread without a mention: answer only when parley already holds that conversation. */
  | { action: "answer-if-conversation"; turn: Turn; replyTo?: string };

/** Context the message plan needs besides the message. */
export interface MessageContext {
  botUserId: string;
  /** The channel the message arrived in; undefined in DMs or when Discord could not tell. */
  channel?: ChannelFacts;
}

/** Decides whether and where a message is answered, and the turn it makes. */
export function planMessage(message: MessagePayload, context: MessageContext): MessagePlan {
  if (message.author.bot || message.webhook_id) return { action: "ignore", reason: "bot or webhook author" };
  if (message.type !== MessageType.Default && message.type !== MessageType.Reply) {
    return { action: "ignore", reason: "system message" };
  }
  const text = spokenText(message, context.botUserId);
  const attachments = spokenAttachments(message);
  if (text === "" && attachments.length === 0) return { action: "ignore", reason: "empty message" };

  const mentioned = mentionedPeople(message, context.botUserId);
  const turnFor = (kind: Turn["kind"], key: ConversationKey): Turn => ({
    key,
    author: authorOf(message.author, message.member),
    kind,
    text,
    ...(attachments.length > 0 ? { attachments } : {}),
    ...(mentioned.length > 0 ? { mentioned } : {}),
  });
  if (message.guild_id === undefined) {
    const turn: Turn = {
      ...turnFor("mention", conversationKey(undefined, message.channel_id)),
      venue: "direct",
    };
    return { action: "answer", turn };
  }

  const channel = context.channel;
  const thread =
    channel && isThread(channel.type) ? { id: channel.id, parentId: channel.parentId } : undefined;
  const inPlaceKey = conversationKey(message.guild_id, message.channel_id, thread);
  // A reply to the bot also lists the bot in `mentions` (the reply ping): it continues, it does not start anew.
  if (message.referenced_message?.author.id === context.botUserId) {
    return { action: "answer", turn: turnFor("follow-up", inPlaceKey), replyTo: message.id };
  }
  if (mentionsUser(message, context.botUserId)) {
    if (channel && THREAD_STARTING_TYPES.has(channel.type)) {
      const key = conversationKey(message.guild_id, message.channel_id, {
        id: message.id,
        parentId: channel.id,
      });
      const author = authorOf(message.author, message.member);
      return {
        action: "open-thread",
        turn: turnFor("mention", key),
        threadName: threadName(text, author),
        fallbackKey: inPlaceKey,
      };
    }
    return { action: "answer", turn: turnFor("mention", inPlaceKey), replyTo: message.id };
  }
  if (thread)
    return { action: "answer-if-conversation", turn: turnFor("follow-up", inPlaceKey), replyTo: message.id };
  return { action: "ignore", reason: "not addressed to the bot" };
}

/** A message's text, a forwarded message's included: a forward's own fields are empty, what it carries counts. */
export function spokenText(message: MessagePayload, botUserId: string): string {
  const forwarded = (message.message_snapshots ?? []).map((snapshot) => snapshot.message);
  return [
    messageText(message, botUserId),
    ...forwarded.map((snapshot) =>
      messageText({ content: snapshot.content ?? "", mentions: snapshot.mentions ?? [] }, botUserId),
    ),
  ]
    .filter((part) => part !== "")
    .join("\n\n");
}

/** A message's files, a forwarded message's included. */
export function spokenAttachments(message: MessagePayload): Attachment[] {
  const forwarded = (message.message_snapshots ?? []).flatMap(
    (snapshot) => snapshot.message.attachments ?? [],
  );
  return [...(message.attachments ?? []), ...forwarded].map(toAttachment);
}

/** True when the message mentions this user by name (not through @everyone or a role). */
function mentionsUser(message: MessagePayload, userId: string): boolean {
  return message.mentions.some((user) => user.id === userId) || message.content.includes(`<@${userId}>`);
}

/** Who the `@name`s of `messageText` are (`/settings forget @Ada` needs Ada's id, not her name). */
function mentionedPeople(message: MessagePayload, botUserId: string): { id: string; name: string }[] {
  return message.mentions
    .filter((user) => user.id !== botUserId)
    .map((user) => ({ id: user.id, name: authorOf(user, user.member).displayName }));
}

/** The message's text without the bot's own mention; other user mentions become readable @names. */
export function messageText(
  message: Pick<MessagePayload, "content" | "mentions">,
  botUserId: string,
): string {
  return message.content
    .replace(/<@!?(\d+)>/g, (whole, id: string) => {
      if (id === botUserId) return "";
      const user = message.mentions.find((candidate) => candidate.id === id);
      return user ? `@${authorOf(user, user.member).displayName}` : whole;
    })
    .replace(/[ \t]{2,}/g, " ")
    .trim();
}

/** A thread name from the prompt: one line, 1..100 characters, never empty. */
export function threadName(text: string, author: Author): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  const name = oneLine === "" ? `Question from ${author.displayName}` : oneLine;
  const characters = Array.from(name);
  if (characters.length <= MAX_THREAD_NAME_LENGTH) return name;
  return `${characters
    .slice(0, MAX_THREAD_NAME_LENGTH - 1)
    .join("")
    .trimEnd()}…`;
}

/** A Discord attachment in parley's words. */
function toAttachment(attachment: MessagePayload["attachments"][number]): Attachment {
  return {
    name: attachment.filename,
    url: attachment.url,
    mimeType: attachment.content_type ?? "application/octet-stream",
    sizeBytes: attachment.size,
  };
}
