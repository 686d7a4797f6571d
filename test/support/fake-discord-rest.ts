// The fake Discord's REST routes (everything under /api/v10): gateway, users, commands, messages, threads.
import {
  botMessagePayload,
  CHANNEL_TYPES,
  channelPayload,
  type FakeChannel,
  snowflake,
} from "./fake-discord-payloads.ts";
import type { MatchedRoute } from "./fake-discord-spec.ts";
import {
  deleteOriginal,
  editInteractionMessage,
  interactionCallback,
  postFollowUp,
} from "./fake-discord-webhooks.ts";
import {
  editMessage,
  type FakeDiscordWorld,
  type FakeResponse,
  failure,
  GLOBAL_COMMANDS,
  noContent,
  storeMessage,
} from "./fake-discord-world.ts";

export type { FakeDiscordWorld, FakeResponse } from "./fake-discord-world.ts";

/** Answers one request routed by the spec; the caller validated the body and checked the token. */
export function answerRest(
  world: FakeDiscordWorld,
  method: string,
  route: MatchedRoute,
  rawBody: unknown,
  query: URLSearchParams,
): FakeResponse {
  const { parameters } = route;
  const body =
    typeof rawBody === "object" && rawBody !== null && !Array.isArray(rawBody)
      ? (rawBody as Record<string, unknown>)
      : {};
  const key = `${method} ${route.template}`;
  switch (key) {
    case "GET /gateway/bot":
      return {
        status: 200,
        body: {
          url: world.gatewayUrl ?? world.gateway.url,
          shards: world.gateway.recommendedShards,
          session_start_limit: {
            total: 1000,
            remaining: 999,
            reset_after: 0,
            max_concurrency: world.gateway.maxConcurrency,
          },
        },
      };
    case "GET /users/@me":
      return { status: 200, body: { ...world.bot, discriminator: "0", avatar: null, flags: 0 } };
    case "GET /applications/@me":
      return {
        status: 200,
        body: { id: world.applicationId, name: world.bot.username, bot_public: true, flags: 0 },
      };
    case "PUT /applications/{application_id}/commands":
    case "PUT /applications/{application_id}/guilds/{guild_id}/commands":
      return registerCommands(world, parameters, rawBody);
    case "GET /applications/{application_id}/commands":
    case "GET /applications/{application_id}/guilds/{guild_id}/commands":
      return listCommands(world, parameters);
    case "GET /users/@me/guilds":
      return listGuilds(world, query);
    case "POST /interactions/{interaction_id}/{interaction_token}/callback":
      return interactionCallback(world, parameters, body);
    case "PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original":
    case "PATCH /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}":
      return editInteractionMessage(world, parameters, body);
    case "DELETE /webhooks/{webhook_id}/{webhook_token}/messages/@original":
      return deleteOriginal(world, parameters);
    case "POST /webhooks/{webhook_id}/{webhook_token}":
      return postFollowUp(world, parameters, body, query);
    case "POST /channels/{channel_id}/messages": {
      const channel = world.channels.get(parameters.channel_id ?? "");
      if (!channel)
        return failure(
          world,
          404,
          10003,
          "Unknown Channel",
          `message posted to unknown channel ${parameters.channel_id}`,
        );
      const message = storeMessage(world, channel.id, body, {});
      const payload = botMessagePayload(message, world.bot, channel.guild_id);
      // Discord echoes the bot's own messages over the gateway; the bot must ignore them.
      world.gateway.dispatch("MESSAGE_CREATE", payload);
      return { status: 200, body: payload };
    }
    case "PATCH /channels/{channel_id}/messages/{message_id}": {
      const message = world.messages.get(parameters.message_id ?? "");
      if (!message || message.channelId !== parameters.channel_id) {
        return failure(
          world,
          404,
          10008,
          "Unknown Message",
          `edit of unknown message ${parameters.message_id}`,
        );
      }
      return editMessage(world, message, body, key);
    }
    case "POST /channels/{channel_id}/typing":
      return world.channels.has(parameters.channel_id ?? "")
        ? noContent
        : failure(world, 404, 10003, "Unknown Channel", `typing in unknown channel ${parameters.channel_id}`);
    case "POST /channels/{channel_id}/messages/{message_id}/threads":
      return openThread(world, parameters, body);
    case "GET /channels/{channel_id}/messages":
      return channelHistory(world, parameters.channel_id ?? "", query);
    case "GET /channels/{channel_id}": {
      const channel = world.channels.get(parameters.channel_id ?? "");
      return channel
        ? { status: 200, body: channelPayload(channel, world.bot.id) }
        : { status: 404, body: { code: 10003, message: "Unknown Channel" } };
    }
    default:
      return failure(world, 404, 0, "404: Not Found", `the fake does not serve ${key}`);
  }
}

/** Refuses another application's commands, and guilds the bot is not in, as Discord does (403 Missing Access). */
function commandsRefusal(
  world: FakeDiscordWorld,
  parameters: Record<string, string>,
): FakeResponse | undefined {
  if (parameters.application_id !== world.applicationId) {
    return failure(
      world,
      403,
      50001,
      "Missing Access",
      `commands of application ${parameters.application_id}`,
    );
  }
  if (parameters.guild_id && !world.guildIds.includes(parameters.guild_id)) {
    return failure(
      world,
      403,
      50001,
      "Missing Access",
      `commands of guild ${parameters.guild_id}, not the bot's`,
    );
  }
  return undefined;
}

function listCommands(world: FakeDiscordWorld, parameters: Record<string, string>): FakeResponse {
  return (
    commandsRefusal(world, parameters) ?? {
      status: 200,
      body: world.applicationCommands.get(parameters.guild_id ?? GLOBAL_COMMANDS) ?? [],
    }
  );
}

/** The bot's guilds as partial guild objects, by id ascending after `after`, at most `limit` (Discord: 200). */
function listGuilds(world: FakeDiscordWorld, query: URLSearchParams): FakeResponse {
  const limit = Number(query.get("limit") ?? 200);
  const after = BigInt(query.get("after") ?? 0);
  const guilds = [...world.guildIds]
    .sort((first, second) => (BigInt(first) < BigInt(second) ? -1 : 1))
    .filter((id) => BigInt(id) > after)
    .slice(0, limit)
    .map((id) => ({ id, name: `guild ${id}`, icon: null, owner: false, permissions: "0", features: [] }));
  return { status: 200, body: guilds };
}

function registerCommands(
  world: FakeDiscordWorld,
  parameters: Record<string, string>,
  body: unknown,
): FakeResponse {
  const refusal = commandsRefusal(world, parameters);
  if (refusal) return refusal;
  const commands = Array.isArray(body) ? body : [];
  world.commandRegistrations.push({
    ...(parameters.guild_id ? { guildId: parameters.guild_id } : {}),
    commands,
  });
  const saved = commands.map((command: Record<string, unknown>) =>
    storedCommand(world.applicationId, command, parameters.guild_id),
  );
  world.applicationCommands.set(parameters.guild_id ?? GLOBAL_COMMANDS, saved);
  return { status: 200, body: saved };
}

function openThread(
  world: FakeDiscordWorld,
  parameters: Record<string, string>,
  body: Record<string, unknown>,
): FakeResponse {
  const parent = world.channels.get(parameters.channel_id ?? "");
  if (!parent || parent.type !== CHANNEL_TYPES.text) {
    return failure(
      world,
      400,
      50024,
      "Cannot execute action on this channel type",
      "thread opened outside a text channel",
    );
  }
  const thread: FakeChannel = {
    id: parameters.message_id ?? snowflake(),
    type: CHANNEL_TYPES.publicThread,
    name: String(body.name ?? ""),
    guild_id: parent.guild_id,
    parent_id: parent.id,
  };
  if (world.channels.has(thread.id)) {
    return failure(
      world,
      400,
      160004,
      "A thread has already been created for this message",
      `second thread on message ${thread.id}`,
    );
  }
  world.channels.set(thread.id, thread);
  const payload = channelPayload(thread, world.bot.id);
  world.gateway.dispatch("THREAD_CREATE", { ...payload, newly_created: true });
  return { status: 201, body: payload };
}

/**
 * A command as Discord stores and returns it: with its ids, the defaults it fills in (type, permissions, nsfw,
 * install types, contexts) and options without `required: false`, which Discord leaves out.
 */
export function storedCommand(
  applicationId: string,
  command: Record<string, unknown>,
  guildId?: string,
): Record<string, unknown> {
  const withoutFalseRequired = (options: unknown): unknown =>
    Array.isArray(options)
      ? options.map((option: Record<string, unknown>) => {
          const { required, options: nested, ...rest } = option;
          return {
            ...rest,
            ...(required === true ? { required } : {}),
            ...(nested === undefined ? {} : { options: withoutFalseRequired(nested) }),
          };
        })
      : options;
  return {
    type: 1,
    default_member_permissions: null,
    nsfw: false,
    integration_types: [0],
    contexts: null,
    description_localizations: null,
    ...command,
    ...(command.options === undefined ? {} : { options: withoutFalseRequired(command.options) }),
    id: snowflake(),
    application_id: applicationId,
    version: snowflake(),
    ...(guildId ? { guild_id: guildId } : {}),
  };
}

/** A channel's messages, users' and the bot's, newest first, before `before` and at most `limit` (default 50). */
function channelHistory(world: FakeDiscordWorld, channelId: string, query: URLSearchParams): FakeResponse {
  const channel = world.channels.get(channelId);
  if (!channel)
    return failure(world, 404, 10003, "Unknown Channel", `history of unknown channel ${channelId}`);
  const before = BigInt(query.get("before") ?? "9223372036854775807");
  const limit = Number(query.get("limit") ?? 50);
  const users = [...world.userMessages.values()].filter((message) => message.channel_id === channelId);
  const bots = [...world.messages.values()]
    .filter((message) => message.channelId === channelId && !message.deleted)
    .map((message) => botMessagePayload(message, world.bot, channel.guild_id));
  const messages = [...users, ...bots]
    .filter((message) => BigInt(String(message.id)) < before)
    .sort((first, second) => (BigInt(String(first.id)) > BigInt(String(second.id)) ? -1 : 1))
    .slice(0, limit);
  return { status: 200, body: messages };
}
