// Each channel's settings (prompt, a model per command, daily token limits) and each thread's /model, in the store.
import type Keyv from "keyv";
import type { ConversationKey } from "../types.ts";

/** What a channel's admins chose, as a turn there needs it; absent: the environment's default applies. */
export interface ChannelChoices {
  /** The system prompt of the channel and its threads. */
  prompt?: string;
  /** The chat model: the thread's /model choice, else the channel's. */
  chatModel?: string;
  /** Where `chatModel` comes from. */
  chatModelFrom?: "thread" | "channel";
  searchModel?: string;
  reasonModel?: string;
  /** Tokens per person per day for turns in this channel (0: no limit); replaces LIMIT_USER_DAILY_TOKENS. */
  userDailyTokens?: number;
  /** Tokens per day for the whole channel (0: no limit); replaces LIMIT_CHANNEL_DAILY_TOKENS. */
  channelDailyTokens?: number;
}

/** A setting a channel holds. */
export type ChannelSettingName =
  | "prompt"
  | "chatModel"
  | "searchModel"
  | "reasonModel"
  | "userDailyTokens"
  | "channelDailyTokens";

/** Key prefixes; "model" is the channel's /model choice of earlier releases, kept as it was. */
const PREFIXES: Record<ChannelSettingName, string> = {
  prompt: "prompt",
  chatModel: "model",
  searchModel: "model-search",
  reasonModel: "model-reason",
  userDailyTokens: "limit-user-daily-tokens",
  channelDailyTokens: "limit-channel-daily-tokens",
};

const NAMES = Object.keys(PREFIXES) as ChannelSettingName[];

/** A conversation in a thread (its key's thread differs from its channel), not a channel's own. */
export function isThread(key: ConversationKey): boolean {
  return key.thread !== key.channel;
}

function channelKey(name: ChannelSettingName, key: ConversationKey): string {
  return `${PREFIXES[name]}:${key.platform}:${key.workspace}:${key.channel}`;
}

function threadModelKey(key: ConversationKey): string {
  return `model:${key.platform}:${key.workspace}:${key.channel}:${key.thread}`;
}

/** Where each channel's settings and each thread's /model choice live. */
export class ChannelSettings {
  private readonly keyv: Keyv;

  constructor(keyv: Keyv) {
    this.keyv = keyv;
  }

  /** Everything set for the conversation's channel, and its thread's model; the reads run side by side. */
  async read(key: ConversationKey): Promise<ChannelChoices> {
    const [threadModel, ...values] = await Promise.all([
      isThread(key) ? this.keyv.get<string>(threadModelKey(key)) : undefined,
      ...NAMES.map((name) => this.keyv.get<string | number>(channelKey(name, key))),
    ]);
    const choices: ChannelChoices = {};
    NAMES.forEach((name, index) => {
      const value = values[index];
      if (value === undefined || value === null) return;
      if (name === "userDailyTokens" || name === "channelDailyTokens") choices[name] = Number(value);
      else choices[name] = String(value);
    });
    if (choices.chatModel !== undefined) choices.chatModelFrom = "channel";
    if (threadModel) {
      choices.chatModel = threadModel;
      choices.chatModelFrom = "thread";
    }
    return choices;
  }

  /** The chat model chosen for this conversation: its thread's /model choice, else its channel's, if any. */
  async chatModel(key: ConversationKey): Promise<string | undefined> {
    return (await this.read(key)).chatModel;
  }

  /** Sets the chat model of the thread the key names, or of its channel when it is no thread. */
  async setChatModel(key: ConversationKey, model: string): Promise<void> {
    await this.keyv.set(isThread(key) ? threadModelKey(key) : channelKey("chatModel", key), model);
  }

  /** Sets one setting of the key's channel; undefined removes it (the environment's default applies again). */
  async set(
    key: ConversationKey,
    name: ChannelSettingName,
    value: string | number | undefined,
  ): Promise<void> {
    if (value === undefined) await this.keyv.delete(channelKey(name, key));
    else await this.keyv.set(channelKey(name, key), value);
  }
}
