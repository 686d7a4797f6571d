// How to tell a user to run a command so that it reaches the conversation they are in.
import { slashCommand } from "./command-names.ts";
import type { CommandName, ConversationKey } from "./types.ts";

/** The bot as users mention it (the app's name in parley's Slack manifest). */
const BOT_MENTION = "@parley";

/** What parley's hints need to know about a platform. */
interface PlatformTraits {
  /** Conversations can be threads of a channel. */
  hasThreads: boolean;
  /** A slash command typed in a thread reaches that thread's conversation. */
  slashCommandsReachThreads: boolean;
  /** Users address the bot by mentioning it. */
  hasMentions: boolean;
}

/** Discord's traits are the default: threads, slash commands that work inside them, mentions. */
const DEFAULT_TRAITS: PlatformTraits = {
  hasThreads: true,
  slashCommandsReachThreads: true,
  hasMentions: true,
};

const TRAITS: Readonly<Record<string, PlatformTraits>> = {
  // Slack sends no thread_ts with slash commands: a command reaches a thread only as a mention that starts with it
  // ("@parley /model …", see commandFromMessage).
  slack: { hasThreads: true, slashCommandsReachThreads: false, hasMentions: true },
  // One running conversation, where plain text asks: its key names a thread, but the user sees none.
  terminal: { hasThreads: false, slashCommandsReachThreads: true, hasMentions: false },
};

function traitsOf(platform: string): PlatformTraits {
  return TRAITS[platform] ?? DEFAULT_TRAITS;
}

/** True when the conversation is a thread the user can see (its key's thread is not its channel). */
export function isThreadConversation(key: ConversationKey): boolean {
  return traitsOf(key.platform).hasThreads && key.thread !== key.channel;
}

/** True when the platform has threads apart from its channels. */
export function platformHasThreads(platform: string): boolean {
  return traitsOf(platform).hasThreads;
}

/**
 * The command as the user should type it (with COMMAND_PREFIX, `prefix`) to reach the conversation `key` (or, with
 * `inThread`, a thread on its platform), in backticks: "`/model <name>`", or in a Slack thread "`@parley /model <name>`".
 */
export function commandHint(
  key: ConversationKey,
  command: CommandName,
  prefix: string,
  argumentHint = "",
  options: { inThread?: boolean } = {},
): string {
  const inThread = options.inThread ?? isThreadConversation(key);
  const name = slashCommand(command, prefix);
  const typed = argumentHint === "" ? name : `${name} ${argumentHint}`;
  const needsMention = inThread && !traitsOf(key.platform).slashCommandsReachThreads;
  return needsMention ? `\`${BOT_MENTION} ${typed}\`` : `\`${typed}\``;
}

/** A prompt as the user should write it to ask in the conversation `key`: a mention where the platform has them. */
export function promptHint(key: ConversationKey, prompt: string): string {
  return traitsOf(key.platform).hasMentions ? `\`${BOT_MENTION} ${prompt}\`` : `\`${prompt}\``;
}
