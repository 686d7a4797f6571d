// The discord.js caches parley keeps: channels and guilds only. Everything parley reads comes from the raw gateway
// payloads and the REST API, so caching messages, members or users would only cost memory on a busy server.
import { type ClientOptions, Options } from "discord.js";

/** No message, member, user, reaction, emoji or similar cache; channels, threads, guilds and roles stay cached
 *  (discord.js needs them, and a message's channel is resolved from them without a REST call). */
export const DISCORD_CACHES: Pick<ClientOptions, "makeCache"> = {
  makeCache: Options.cacheWithLimits({
    ApplicationCommandManager: 0,
    ApplicationEmojiManager: 0,
    AutoModerationRuleManager: 0,
    BaseGuildEmojiManager: 0,
    DMMessageManager: 0,
    EntitlementManager: 0,
    GuildBanManager: 0,
    GuildEmojiManager: 0,
    GuildInviteManager: 0,
    GuildMessageManager: 0,
    GuildScheduledEventManager: 0,
    GuildStickerManager: 0,
    MessageManager: 0,
    PresenceManager: 0,
    ReactionManager: 0,
    ReactionUserManager: 0,
    StageInstanceManager: 0,
    ThreadMemberManager: 0,
    VoiceStateManager: 0,
    // discord.js looks up the bot's own member and user; nobody else's is kept.
    GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => member.id === member.client.user?.id },
    UserManager: { maxSize: 0, keepOverLimit: (user) => user.id === user.client.user?.id },
  }),
};
