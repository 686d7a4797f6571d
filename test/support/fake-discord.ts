// A fake Discord on 127.0.0.1 for end-to-end tests: REST under /api/v10 and a gateway, driving the real discord.js.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { buttonIdsOf, componentPayload } from "./fake-discord-components.ts";
import { createFakeGateway, type FakeGateway } from "./fake-discord-gateway.ts";
import {
  type FakeFile,
  type FakeRequest,
  hostAttachment,
  serveFakeDiscordHttp,
} from "./fake-discord-http.ts";
import {
  CHANNEL_TYPES,
  channelPayload,
  type FakeChannel,
  type FakeUser,
  guildPayload,
  interactionPayload,
  readyPayload,
  snowflake,
  snowflakeOnShard,
  userMessagePayload,
} from "./fake-discord-payloads.ts";
import { type FakeDiscordWorld, storedCommand } from "./fake-discord-rest.ts";
import { loadDiscordSpec } from "./fake-discord-spec.ts";
import {
  type FakeInteraction,
  type FakeMessage,
  type FakeRateLimits,
  type Ping,
  pingsOf,
  pollUntil,
} from "./fake-discord-state.ts";
import { GLOBAL_COMMANDS } from "./fake-discord-world.ts";

export type { FakeRequest } from "./fake-discord-http.ts";
export type { FakeChannel, FakeUser } from "./fake-discord-payloads.ts";
export { type FakeInteraction, type FakeMessage, fenceCount, type Ping } from "./fake-discord-state.ts";

/** Options for startFakeDiscord. */
export interface FakeDiscordOptions {
  token?: string;
  /** Least time between two writes of one message before the fake answers 429 (default 500 ms). */
  minEditGapMs?: number;
  /** GET /gateway/bot's recommended shard count (default 1). */
  recommendedShards?: number;
  /** GET /gateway/bot's max_concurrency: IDENTIFYs per 5 s (default 1). */
  maxConcurrency?: number;
  /** Message budgets per channel and per interaction (default: about Discord's, 5 per 5 s). */
  rateLimits?: FakeRateLimits;
  /** The gateway address GET /gateway/bot hands out instead of the fake's own (an unreachable one, say). */
  gatewayUrl?: string;
  /** Global commands the application already has (registered by an earlier run), by name. */
  globalCommandNames?: string[];
  /** Commands the application already has, as registered by an earlier run: globally, or in the fake's guild. */
  existingCommands?: { inGuild?: boolean; commands: readonly object[] };
  /** Called with each REST request and the status it is answered with (the bench timestamps them). */
  onRequest?: (request: FakeRequest, status: number) => void;
}

/** A message a user sends to the bot. */
export interface SendMessageInput {
  channel?: FakeChannel;
  content: string;
  author?: FakeUser;
  nick?: string | null;
  replyTo?: FakeMessage;
  attachments?: { filename: string; contentType: string; data: string | Uint8Array }[];
  /** Deliver to this gateway session only (in identify order); default: every connected session. */
  toSession?: number;
  /** The author's role ids in the guild. */
  roles?: string[];
  /** Sends a forward of this message instead (`content` is then ignored: Discord forwards carry no own text). */
  forwarded?: {
    content: string;
    attachments?: { filename: string; contentType: string; data: string | Uint8Array }[];
  };
}

/** A running fake Discord. */
export interface FakeDiscord {
  /** For DISCORD_API_URL: discord.js adds `/v10`. */
  apiUrl: string;
  token: string;
  bot: FakeUser;
  users: { alice: FakeUser; bob: FakeUser; otherBot: FakeUser };
  applicationId: string;
  guildId: string;
  /** A plain text channel of the guild. */
  textChannel: FakeChannel;
  requests: FakeRequest[];
  /** Everything the bot did that Discord would refuse or that breaks a rule; tests expect none. */
  violations: string[];
  rateLimited: string[];
  gateway: FakeGateway;
  commandRegistrations: FakeDiscordWorld["commandRegistrations"];
  /** The names of the application's commands in a guild, or its global ones without a guild. */
  commandNames(guildId?: string): string[];
  /** A channel or thread the fake knows (threads the bot opened included). */
  channel(id: string): FakeChannel | undefined;
  /** A thread the bot did not open (a forum post, say), announced with THREAD_CREATE. */
  addThread(name: string, parent?: FakeChannel): FakeChannel;
  /** A direct-message channel with a user (not in any guild). */
  dmChannel(): FakeChannel;
  /** Another guild with a text channel, its id chosen so that its events go to shard `[id, count]`. */
  addGuild(shard: [shardId: number, shardCount: number]): { guildId: string; textChannel: FakeChannel };
  /**
   * Runs a slash command as a user; options by name (a `userOptions` name is sent as a user option). `subcommand`
   * nests the options in it; `permissions` and `roles` are the member's (default: an ordinary member).
   */
  sendCommand(
    command: string,
    options?: Record<string, string>,
    where?: {
      channel?: FakeChannel;
      user?: FakeUser;
      subcommand?: string;
      permissions?: string;
      roles?: string[];
      userOptions?: string[];
    },
  ): FakeInteraction;
  /** Types into an autocompleted option. */
  sendAutocomplete(
    command: string,
    focused: { name: string; value: string },
    channel?: FakeChannel,
  ): FakeInteraction;
  /**
   * Presses the button of a bot message whose custom id starts with `prefix` ("parley:stop"), as `user` (default
   * Alice) with `permissions`; fails when the message carries no such button now.
   */
  pressButton(
    message: FakeMessage,
    prefix: string,
    as?: { user?: FakeUser; permissions?: string },
  ): FakeInteraction;
  /** The custom ids of the buttons a bot message carries now. */
  buttonIds(message: FakeMessage): string[];
  /** Sends a user's message over the gateway; `<@id>` in the content mentions that user. */
  sendMessage(input: SendMessageInput): { id: string; channelId: string };
  /** A user picks a message command (a message's Apps menu: "Explain") on a message a user sent. */
  sendMessageCommand(
    name: string,
    target: { id: string; channelId: string },
    where?: { user?: FakeUser },
  ): FakeInteraction;
  /** A user edits a message they sent: MESSAGE_UPDATE with the whole new message, as Discord sends it. */
  editMessage(sent: { id: string; channelId: string }, content: string): void;
  /** Messages the bot posted in a channel or thread (interaction replies included), oldest first. */
  messagesIn(channelId: string): FakeMessage[];
  /** The reply and follow-ups of an interaction that are still there, in order. */
  repliesTo(interaction: FakeInteraction): FakeMessage[];
  /** Every message body the bot sent (creates and edits). */
  messageBodies(): Record<string, unknown>[];
  /** Who the bot's messages would have notified. */
  pings(): Ping[];
  /** Answers the next request to a route ("POST /channels/{channel_id}/messages") with a Discord error. */
  failNext(route: string, status: number, code: number, message: string): void;
  /** Polls until `probe` returns a value (not undefined/false), or fails after `timeoutMs`. */
  waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** Starts the fake on a free loopback port. */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const spec = loadDiscordSpec();
  const token = options.token ?? "fake-token";
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const bot: FakeUser = { id: snowflake(), username: "parley", global_name: "parley", bot: true };
  const users = {
    alice: { id: snowflake(), username: "alice", global_name: "Alice" },
    bob: { id: snowflake(), username: "bob", global_name: "Bob" },
    otherBot: { id: snowflake(), username: "otherbot", global_name: null, bot: true },
  };
  const guildId = snowflake();
  const textChannel: FakeChannel = {
    id: snowflake(),
    type: CHANNEL_TYPES.text,
    name: "general",
    guild_id: guildId,
  };
  const forum: FakeChannel = {
    id: snowflake(),
    type: CHANNEL_TYPES.forum,
    name: "questions",
    guild_id: guildId,
  };
  const timers: NodeJS.Timeout[] = [];
  const requests: FakeRequest[] = [];
  const attachments = new Map<string, FakeFile>();

  const world: FakeDiscordWorld = {
    token,
    bot,
    applicationId: bot.id,
    guildId,
    channels: new Map([textChannel, forum].map((channel) => [channel.id, channel])),
    messages: new Map(),
    userMessages: new Map(),
    interactions: new Map(),
    commandRegistrations: [],
    applicationCommands: new Map([
      ...(options.globalCommandNames
        ? [[GLOBAL_COMMANDS, options.globalCommandNames.map((name) => ({ id: snowflake(), name }))] as const]
        : []),
      ...(options.existingCommands
        ? [
            [
              options.existingCommands.inGuild ? guildId : GLOBAL_COMMANDS,
              options.existingCommands.commands.map((command) =>
                storedCommand(
                  bot.id,
                  command as Record<string, unknown>,
                  options.existingCommands?.inGuild ? guildId : undefined,
                ),
              ),
            ] as const,
          ]
        : []),
    ]),
    guildIds: [guildId],
    violations: [],
    rateLimited: [],
    minEditGapMs: options.minEditGapMs ?? 500,
    interactionDeadlineMs: 3000,
    injectedFailures: [],
    ...(options.gatewayUrl ? { gatewayUrl: options.gatewayUrl } : {}),
    gateway: createFakeGateway(server, `ws://127.0.0.1:${(server.address() as AddressInfo).port}`, {
      token,
      ready: (resumeUrl) => readyPayload(bot, guildId, resumeUrl),
      guilds: () =>
        world.guildIds.map((id) => guildPayload(id, users.alice.id, [...world.channels.values()])),
      onViolation: (problem) => world.violations.push(problem),
      ...(options.recommendedShards ? { recommendedShards: options.recommendedShards } : {}),
      ...(options.maxConcurrency ? { maxConcurrency: options.maxConcurrency } : {}),
    }),
  };
  const knownUsers = [bot, users.alice, users.bob, users.otherBot];
  /** Who wrote each user message, so a reply to it knows whom it would ping. */
  const userMessageAuthors = new Map<string, string>();

  serveFakeDiscordHttp(server, {
    world,
    spec,
    baseUrl,
    requests,
    attachments,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
  });

  const dispatchInteraction = (
    type: 2 | 4,
    command: string,
    values: { name: string; value: string; focused?: boolean; type?: number }[],
    channel: FakeChannel,
    user: FakeUser,
    member: { subcommand?: string; permissions?: string; roles?: string[] } = {},
    messageCommand?: { target: Record<string, unknown> },
  ): FakeInteraction => {
    const interaction: FakeInteraction = {
      id: snowflake(),
      token: `interaction-token-${snowflake()}`,
      channelId: channel.id,
      command,
      dispatchedAtMs: Date.now(),
      messageIds: [],
      originalDeleted: false,
    };
    world.interactions.set(interaction.id, interaction);
    world.gateway.dispatch(
      "INTERACTION_CREATE",
      interactionPayload({
        id: interaction.id,
        token: interaction.token,
        applicationId: world.applicationId,
        type,
        command,
        options: values,
        channel,
        user,
        ...member,
        ...(messageCommand ? { messageTarget: messageCommand.target } : {}),
      }),
    );
    const timer = setTimeout(() => {
      if (interaction.callbackAtMs === undefined) {
        world.violations.push(`/${command}: The application did not respond (no callback within 3 s)`);
      }
    }, world.interactionDeadlineMs + 50);
    timers.push(timer);
    return interaction;
  };

  const messagesIn = (channelId: string): FakeMessage[] =>
    [...world.messages.values()].filter((message) => message.channelId === channelId && !message.deleted);

  return {
    apiUrl: `${baseUrl}/api`,
    token,
    bot,
    users,
    applicationId: world.applicationId,
    guildId,
    textChannel,
    requests,
    violations: world.violations,
    rateLimited: world.rateLimited,
    gateway: world.gateway,
    commandRegistrations: world.commandRegistrations,
    commandNames: (guild) =>
      (world.applicationCommands.get(guild ?? GLOBAL_COMMANDS) ?? []).map((command) => String(command.name)),
    channel: (id) => world.channels.get(id),
    addThread(name, parent = forum) {
      const thread: FakeChannel = {
        id: snowflake(),
        type: CHANNEL_TYPES.publicThread,
        name,
        guild_id: guildId,
        parent_id: parent.id,
      };
      world.channels.set(thread.id, thread);
      world.gateway.dispatch("THREAD_CREATE", {
        ...channelPayload(thread, users.alice.id),
        newly_created: true,
      });
      return thread;
    },
    dmChannel() {
      const channel: FakeChannel = { id: snowflake(), type: CHANNEL_TYPES.dm };
      world.channels.set(channel.id, channel);
      return channel;
    },
    addGuild(shard) {
      const id = snowflakeOnShard(shard[0], shard[1]);
      const channel: FakeChannel = {
        id: snowflake(),
        type: CHANNEL_TYPES.text,
        name: "general",
        guild_id: id,
      };
      world.guildIds.push(id);
      world.channels.set(channel.id, channel);
      // A guild joined while connected arrives as GUILD_CREATE on its shard.
      world.gateway.dispatch("GUILD_CREATE", guildPayload(id, users.alice.id, [...world.channels.values()]));
      return { guildId: id, textChannel: channel };
    },
    sendCommand(command, options = {}, where = {}) {
      const values = Object.entries(options).map(([name, value]) => ({
        name,
        value,
        ...(where.userOptions?.includes(name) ? { type: 6 } : {}),
      }));
      return dispatchInteraction(
        2,
        command,
        values,
        where.channel ?? textChannel,
        where.user ?? users.alice,
        {
          ...(where.subcommand ? { subcommand: where.subcommand } : {}),
          ...(where.permissions ? { permissions: where.permissions } : {}),
          ...(where.roles ? { roles: where.roles } : {}),
        },
      );
    },
    pressButton(message, prefix, as = {}) {
      const customId = buttonIdsOf(message).find((id) => id.startsWith(prefix));
      if (!customId)
        throw new Error(`message ${message.id} has no ${prefix} button: ${buttonIdsOf(message)}`);
      const interaction: FakeInteraction = {
        id: snowflake(),
        token: `interaction-token-${snowflake()}`,
        channelId: message.channelId,
        command: customId,
        dispatchedAtMs: Date.now(),
        messageIds: [],
        originalDeleted: false,
      };
      world.interactions.set(interaction.id, interaction);
      world.gateway.dispatch(
        "INTERACTION_CREATE",
        componentPayload({
          id: interaction.id,
          token: interaction.token,
          applicationId: world.applicationId,
          channel: world.channels.get(message.channelId) ?? textChannel,
          user: as.user ?? users.alice,
          ...(as.permissions ? { permissions: as.permissions } : {}),
          message,
          bot,
          customId,
        }),
      );
      const timer = setTimeout(() => {
        if (interaction.callbackAtMs === undefined) {
          world.violations.push(`${customId}: The application did not respond (no callback within 3 s)`);
        }
      }, world.interactionDeadlineMs + 50);
      timers.push(timer);
      return interaction;
    },
    buttonIds: buttonIdsOf,
    sendAutocomplete(command, focused, channel = textChannel) {
      return dispatchInteraction(4, command, [{ ...focused, focused: true }], channel, users.alice);
    },
    sendMessage(input) {
      const channel = input.channel ?? textChannel;
      const id = snowflake();
      userMessageAuthors.set(id, (input.author ?? users.alice).id);
      const files = (input.attachments ?? []).map((file) => hostAttachment(attachments, baseUrl, file));
      const mentioned = knownUsers.filter((user) => input.content.includes(`<@${user.id}>`));
      const replyToAuthor = input.replyTo ? bot : undefined;
      const payload = userMessagePayload(id, {
        channel,
        author: input.author ?? users.alice,
        content: input.content,
        nick: input.nick ?? null,
        // A reply pings (and so lists) the replied-to author, as Discord's clients do by default.
        mentions:
          replyToAuthor && !mentioned.includes(replyToAuthor) ? [...mentioned, replyToAuthor] : mentioned,
        ...(input.replyTo ? { replyTo: input.replyTo, replyToAuthor: bot } : {}),
        attachments: files,
        ...(input.roles ? { roles: input.roles } : {}),
        ...(input.forwarded
          ? {
              forwarded: {
                content: input.forwarded.content,
                attachments: (input.forwarded.attachments ?? []).map((file) =>
                  hostAttachment(attachments, baseUrl, file),
                ),
              },
            }
          : {}),
      });
      world.userMessages.set(id, payload);
      world.gateway.dispatch("MESSAGE_CREATE", payload, input.toSession);
      return { id, channelId: channel.id };
    },
    sendMessageCommand(name, target, where = {}) {
      const message = world.userMessages.get(target.id);
      if (!message) throw new Error(`the fake holds no user message ${target.id}`);
      const channel = world.channels.get(target.channelId) ?? textChannel;
      return dispatchInteraction(2, name, [], channel, where.user ?? users.alice, {}, { target: message });
    },
    editMessage(sent, content) {
      const channel = world.channels.get(sent.channelId) ?? textChannel;
      const authorId = userMessageAuthors.get(sent.id);
      const author = [users.alice, users.bob].find((user) => user.id === authorId) ?? users.alice;
      const mentioned = knownUsers.filter((user) => content.includes(`<@${user.id}>`));
      world.gateway.dispatch("MESSAGE_UPDATE", {
        ...userMessagePayload(sent.id, { channel, author, content, mentions: mentioned, attachments: [] }),
        edited_timestamp: new Date().toISOString(),
      });
    },
    messagesIn,
    repliesTo(interaction) {
      return interaction.messageIds
        .map((id) => world.messages.get(id))
        .filter((message): message is FakeMessage => !!message && !message.deleted);
    },
    messageBodies() {
      return [...world.messages.values()].flatMap((message) => message.bodies);
    },
    pings() {
      return [...world.messages.values()].flatMap((message) => {
        // Edits never notify anyone on Discord: only the first body (creation, or a placeholder's fill) counts.
        const first = message.bodies[0];
        const repliedAuthor = message.replyTo ? userMessageAuthors.get(message.replyTo) : undefined;
        return first ? pingsOf(String(first.content ?? ""), first, repliedAuthor) : [];
      });
    },
    failNext(route, status, code, message) {
      world.injectedFailures.push({ route, response: { status, body: { code, message } } });
    },
    waitFor: (what, probe, timeoutMs = 10_000) =>
      pollUntil(probe, timeoutMs, () => `${what}; violations: ${JSON.stringify(world.violations)}`),
    async close() {
      for (const timer of timers) clearTimeout(timer);
      world.gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
