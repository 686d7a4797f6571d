// Starts the Discord adapter: logs the bot in, routes slash commands and messages to the engine, stops cleanly.
import { Client, Events, GatewayDispatchEvents, GatewayIntentBits, Partials, RESTEvents } from "discord.js";
import type { Config } from "../../src/config.ts";
import { ParleyError } from "../../src/errors.ts";
import type { Logger } from "../../src/logger.ts";
import { type BudgetRate, createEditPacer } from "../../src/render/edit-pacer.ts";
import { type RenderClock, systemClock } from "../../src/render/surface.ts";
import type { Engine } from "../../src/types.ts";
import { createAttachmentReader } from "./attachments.ts";
import { DISCORD_CHANNEL_BUDGET } from "./channel-surface.ts";
import { createInteractionHandler, INTERACTION_TOKEN_LIFETIME_MS } from "./interactions.ts";
import { errorForLog, withoutTokens } from "./log-error.ts";
import { createMessageHandler } from "./messages.ts";
import type { ChannelFacts, CommandInteractionPayload, MessagePayload } from "./payloads.ts";
import { publishCommands } from "./publish-commands.ts";

/** What the Discord adapter needs; everything after `logger` is for tests. */
export interface DiscordAdapterOptions {
  config: Config;
  engine: Engine;
  logger: Logger;
  /** The clock for throttling and for the age of interactions. */
  clock?: RenderClock;
  /** Answers go to the channel once an interaction is this old (default just under Discord's 15 minutes). */
  interactionTokenLifetimeMs?: number;
  typingIntervalMs?: number;
  /** Downloads attachments (default: global fetch). */
  fetch?: typeof fetch;
  /** Longest wait on `stop()` for answers still streaming, in milliseconds (default 10 s). */
  stopGraceMs?: number;
  /** Posts and edits per channel that every answer shares (default DISCORD_CHANNEL_BUDGET). */
  editBudget?: BudgetRate;
}

/** A running Discord adapter. */
export interface DiscordAdapter {
  client: Client;
  /** Stops taking new events, lets answers in flight finish (within the grace time) and disconnects. */
  stop(): Promise<void>;
}

/** Logs in with DISCORD_TOKEN and answers until stopped; registers commands first when configured to. */
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
    // A second guard: every message body sets allowed_mentions itself (see message-body.ts).
    allowedMentions: { parse: [], repliedUser: false },
  });

  const inFlight = new Set<Promise<void>>();
  let accepting = true;
  const run = (what: string, work: () => Promise<void>): void => {
    if (!accepting) return;
    const task = work().catch((error: unknown) =>
      logger.error({ error: errorForLog(error) }, `discord ${what} failed`),
    );
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  };

  const pacer = createEditPacer(options.editBudget ?? DISCORD_CHANNEL_BUDGET, clock);
  const handleInteraction = createInteractionHandler({
    rest: client.rest,
    engine,
    logger,
    clock,
    tokenLifetimeMs: options.interactionTokenLifetimeMs ?? INTERACTION_TOKEN_LIFETIME_MS,
    pacer,
  });
  const handleMessage = createMessageHandler({
    rest: client.rest,
    engine,
    logger,
    clock,
    botUserId: () => client.user?.id,
    resolveChannel: (channelId) => resolveChannel(client, channelId),
    readAttachment: createAttachmentReader(options.fetch),
    pacer,
    ...(options.typingIntervalMs ? { typingIntervalMs: options.typingIntervalMs } : {}),
  });
  // Discord's own JSON, before discord.js reshapes it: the parse functions stay pure over plain payloads.
  client.ws.on(GatewayDispatchEvents.InteractionCreate, (interaction: CommandInteractionPayload) =>
    run("interaction", () => handleInteraction(interaction)),
  );
  client.ws.on(GatewayDispatchEvents.MessageCreate, (message: MessagePayload) =>
    run("message", () => handleMessage(message)),
  );
  client.rest.on(RESTEvents.RateLimited, (info) =>
    logger.warn(
      { route: withoutTokens(info.route), retryAfterMs: info.retryAfter, global: info.global },
      "discord rate limit hit",
    ),
  );
  client.on(Events.Error, (error) => logger.error({ error: errorForLog(error) }, "discord client error"));
  client.on(Events.Warn, (message) => logger.warn({ message }, "discord client warning"));
  client.on(Events.ShardDisconnect, (event, shardId) =>
    logger.warn({ code: event.code, shardId }, "discord gateway closed"),
  );

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(token);
    await ready;
    if (config.discord.registerCommandsOnStart) {
      const published = await publishCommands({
        rest: client.rest,
        applicationId: client.application?.id,
        ...(config.discord.guildId ? { guildId: config.discord.guildId } : {}),
      });
      logger.info({ ...published }, "discord commands registered");
    }
  } catch (error) {
    await client.destroy();
    throw error;
  }
  logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, "discord adapter ready");

  return {
    client,
    async stop() {
      accepting = false;
      const grace = new Promise<void>((resolve) =>
        setTimeout(resolve, options.stopGraceMs ?? 10_000).unref(),
      );
      await Promise.race([Promise.allSettled([...inFlight]), grace]);
      await client.destroy();
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
