// Starts the Discord adapter: logs the bot in, routes slash commands and messages to the engine, stops cleanly.
import { Client, Events, GatewayDispatchEvents, GatewayIntentBits, Partials, RESTEvents } from "discord.js";
import type { Config } from "../../src/config.ts";
import type { ReplyControls } from "../../src/controls/reply-controls.ts";
import { ParleyError } from "../../src/errors.ts";
import type { Logger } from "../../src/logger.ts";
import { type AdapterReporter, UNREPORTED } from "../../src/ops/operations.ts";
import { createTurnLifecycle, type TurnLifecycle } from "../../src/ops/turn-lifecycle.ts";
import { type BudgetRate, createEditPacer } from "../../src/render/edit-pacer.ts";
import { type RenderClock, systemClock } from "../../src/render/surface.ts";
import type { Engine } from "../../src/types.ts";
import { createAttachmentReader } from "./attachments.ts";
import { DISCORD_CHANNEL_BUDGET } from "./channel-surface.ts";
import { DISCORD_CACHES } from "./client-caches.ts";
import { connectDiscordClient } from "./connect.ts";
import { createInteractionHandler, INTERACTION_TOKEN_LIFETIME_MS } from "./interactions.ts";
import { inviteUrl } from "./invite-url.ts";
import { errorForLog, withoutTokens } from "./log-error.ts";
import { createMessageHandler } from "./messages.ts";
import type {
  ChannelFacts,
  CommandInteractionPayload,
  ComponentInteractionPayload,
  MessagePayload,
} from "./payloads.ts";
import { shardOptions } from "./shard-options.ts";
import { commandRegistrationFailure } from "./startup-failures.ts";
import { syncCommands } from "./sync-commands.ts";

/** What the Discord adapter needs; everything after `reporter` is for tests. */
export interface DiscordAdapterOptions {
  config: Config;
  engine: Engine;
  logger: Logger;
  /** The process's turn lifecycle (default: one of the adapter's own, without metrics). */
  lifecycle?: TurnLifecycle;
  /** Stop and feedback presses (the core's `parley.controls`); without them answers carry no buttons. */
  controls?: ReplyControls;
  /** Where the gateway connection and Discord's rate limits are reported (health, metrics). */
  reporter?: AdapterReporter;
  /** The clock for throttling and for the age of interactions. */
  clock?: RenderClock;
  /** Answers go to the channel once an interaction is this old (default just under Discord's 15 minutes). */
  interactionTokenLifetimeMs?: number;
  typingIntervalMs?: number;
  /** Checks the token at start-up and downloads attachments (default: global fetch). */
  fetch?: typeof fetch;
  /** Longest wait on `stop()` for answers still streaming before they are interrupted (default 10 s). */
  stopGraceMs?: number;
  /** Posts and edits per channel that every answer shares (default DISCORD_CHANNEL_BUDGET). */
  editBudget?: BudgetRate;
  /** Longest wait for the next gateway shard to become ready while starting (default 60 s). */
  gatewayProgressTimeoutMs?: number;
}

/** A running Discord adapter. */
export interface DiscordAdapter {
  client: Client;
  /** What the adapter is connected to, for the start-up summary: who it is, where, and its invite URL. */
  summary: string[];
  /** Stops taking new events, drains the lifecycle (answers finish or are marked interrupted), disconnects. */
  stop(): Promise<void>;
}

/** Logs in with DISCORD_TOKEN and answers until stopped; brings Discord's commands up to date first unless
 *  REGISTER_COMMANDS=0. */
export async function startDiscordAdapter(options: DiscordAdapterOptions): Promise<DiscordAdapter> {
  const { config, engine } = options;
  const logger = options.logger.child({ adapter: "discord" });
  const token = config.discord.token;
  if (!token) throw new ParleyError("config", "DISCORD_TOKEN is not set: the Discord adapter cannot start.");
  const clock = options.clock ?? systemClock;
  const client = new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.MessageContent,
      GatewayIntentBits.DirectMessages,
    ],
    // DM channels are not cached before their first message; without these partials DMs are dropped.
    partials: [Partials.Channel, Partials.Message],
    rest: { api: config.discord.apiUrl },
    ...DISCORD_CACHES,
    ...shardOptions(config.discord.shards),
    // A second guard: every message body sets allowed_mentions itself (see message-body.ts).
    allowedMentions: { parse: [], repliedUser: false },
  });

  const { controls } = options;
  const lifecycle =
    options.lifecycle ??
    createTurnLifecycle({ engine, logger: options.logger, ...(controls ? { controls } : {}) });
  const reporter = options.reporter ?? UNREPORTED;
  let accepting = true;
  // Replies are tracked by the lifecycle; this only keeps a handler's unexpected failure from going unhandled.
  const run = (what: string, work: () => Promise<void>): void => {
    if (!accepting) return;
    work().catch((error: unknown) => logger.error({ error: errorForLog(error) }, `discord ${what} failed`));
  };

  const pacer = createEditPacer(options.editBudget ?? DISCORD_CHANNEL_BUDGET, clock);
  const readAttachment = createAttachmentReader({
    apiUrl: config.discord.apiUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const tokenLifetimeMs = options.interactionTokenLifetimeMs ?? INTERACTION_TOKEN_LIFETIME_MS;
  const handleInteraction = createInteractionHandler({
    rest: client.rest,
    engine,
    lifecycle,
    logger,
    clock,
    tokenLifetimeMs,
    pacer,
    commandPrefix: config.commandPrefix,
    ...(controls ? { controls } : {}),
    readAttachment,
  });
  const handleMessage = createMessageHandler({
    rest: client.rest,
    engine,
    lifecycle,
    logger,
    clock,
    botUserId: () => client.user?.id,
    resolveChannel: (channelId) => resolveChannel(client, channelId),
    commandPrefix: config.commandPrefix,
    readAttachment,
    pacer,
    ...(controls ? { controls } : {}),
    ...(options.typingIntervalMs ? { typingIntervalMs: options.typingIntervalMs } : {}),
  });
  // Discord's own JSON, before discord.js reshapes it: the parse functions stay pure over plain payloads.
  client.ws.on(
    GatewayDispatchEvents.InteractionCreate,
    (interaction: CommandInteractionPayload | ComponentInteractionPayload) =>
      run("interaction", () => handleInteraction(interaction)),
  );
  // While draining, messages are left alone (not claimed, so nothing is half-answered); commands hear why not.
  client.ws.on(GatewayDispatchEvents.MessageCreate, (message: MessagePayload) => {
    if (lifecycle.accepting()) run("message", () => handleMessage(message));
  });
  client.rest.on(RESTEvents.RateLimited, (info) => {
    reporter.rateLimited();
    logger.warn(
      { route: withoutTokens(info.route), retryAfterMs: info.retryAfter, global: info.global },
      "discord rate limit hit",
    );
  });
  client.on(Events.Error, (error) => logger.error({ error: errorForLog(error) }, "discord client error"));
  client.on(Events.Warn, (message) => logger.warn({ message }, "discord client warning"));
  // Connected while every shard of this client is ready; a shard reconnecting or closed for good is down.
  const shardsUp = new Map<number, boolean>();
  const shardState = (shardId: number, up: boolean): void => {
    shardsUp.set(shardId, up);
    // Until every shard has said it is ready, some guilds are not heard (discord.js knows the count once it
    // asked Discord, for "auto").
    const expectedShards = client.options.shardCount ?? 1;
    reporter.connected(shardsUp.size >= expectedShards && [...shardsUp.values()].every(Boolean));
  };
  client.on(Events.ShardReady, (shardId) => shardState(shardId, true));
  client.on(Events.ShardResume, (shardId) => shardState(shardId, true));
  client.on(Events.ShardReconnecting, (shardId) => {
    logger.warn({ shardId }, "discord gateway reconnecting");
    shardState(shardId, false);
  });
  client.on(Events.ShardDisconnect, (event, shardId) => {
    logger.warn({ code: event.code, shardId }, "discord gateway closed");
    shardState(shardId, false);
  });

  await connectDiscordClient(client, {
    token,
    apiUrl: config.discord.apiUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.gatewayProgressTimeoutMs ? { progressTimeoutMs: options.gatewayProgressTimeoutMs } : {}),
  });
  try {
    if (config.discord.registerCommandsOnStart) {
      const synced = await syncCommands({
        rest: client.rest,
        applicationId: client.application?.id,
        commandPrefix: config.commandPrefix,
        ...(config.discord.guildId ? { guildId: config.discord.guildId } : {}),
      });
      logger.info({ ...synced }, synced.written ? "discord commands updated" : "discord commands up to date");
    }
  } catch (error) {
    await client.destroy();
    throw commandRegistrationFailure(error, {
      apiUrl: config.discord.apiUrl,
      ...(config.discord.guildId ? { guildId: config.discord.guildId } : {}),
    });
  }
  const invite = client.application ? inviteUrl(client.application.id) : undefined;
  logger.info(
    { user: client.user?.tag, guilds: client.guilds.cache.size, shards: client.ws.shards.size, invite },
    "discord adapter ready",
  );
  return {
    client,
    summary: discordSummary(client, invite),
    async stop() {
      // The lifecycle refuses new turns from here; commands still hear why. The token must stay valid until the
      // last reply (or its cut-off note) is posted.
      await lifecycle.drain(options.stopGraceMs ?? 10_000);
      accepting = false;
      await client.destroy();
      reporter.connected(false);
    },
  };
}

/** The facts about a channel that decide how a message is answered: from the cache, else from Discord. */
async function resolveChannel(client: Client, channelId: string): Promise<ChannelFacts | undefined> {
  const channel =
    client.channels.cache.get(channelId) ?? (await client.channels.fetch(channelId).catch(() => null));
  if (!channel) return undefined;
  return { id: channel.id, type: channel.type, parentId: "parentId" in channel ? channel.parentId : null };
}

/** "Discord: connected as parley#1234 in 3 servers (1 shard)", then the invite URL. */
function discordSummary(client: Client, invite: string | undefined): string[] {
  const servers = client.guilds.cache.size;
  const shards = client.ws.shards.size;
  const connected =
    `Discord: connected as ${client.user?.tag ?? "?"} in ${servers} ${servers === 1 ? "server" : "servers"} ` +
    `(${shards} ${shards === 1 ? "shard" : "shards"})`;
  return invite ? [connected, `Discord invite URL: ${invite}`] : [connected];
}
