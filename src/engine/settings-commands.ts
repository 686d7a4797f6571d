// The commands that answer without a model: /model, /reset and /usage (/help is in help.ts).

import type Keyv from "keyv";
import { commandHint, isThreadConversation, platformHasThreads } from "../command-hint.ts";
import { slashCommand } from "../command-names.ts";
import type { Config } from "../config.ts";
import type { ConversationStore } from "../context/conversation-store.ts";
import type { ModelCatalog } from "../models/catalog.ts";
import type { ConversationKey, Turn } from "../types.ts";
import type { UsageLedger, UsageTotals } from "../usage/usage-ledger.ts";
import { resolveAllowedModel } from "./routing.ts";

/** Where each channel's and each thread's /model choice lives. */
export class ChannelSettings {
  private readonly keyv: Keyv;

  constructor(keyv: Keyv) {
    this.keyv = keyv;
  }

  /** The chat model chosen for this conversation: its thread's /model choice, else its channel's, if any. */
  async chatModel(key: ConversationKey): Promise<string | undefined> {
    const [threadChoice, channelChoice] = await Promise.all([
      isThread(key) ? this.keyv.get<string>(threadKey(key)) : undefined,
      this.keyv.get<string>(channelKey(key)),
    ]);
    return threadChoice ?? channelChoice ?? undefined;
  }

  /** Sets the chat model of the thread the key names, or of its channel when it is no thread. */
  async setChatModel(key: ConversationKey, model: string): Promise<void> {
    await this.keyv.set(isThread(key) ? threadKey(key) : channelKey(key), model);
  }
}

/** A conversation in a thread (its key's thread differs from its channel), not a channel's own. */
function isThread(key: ConversationKey): boolean {
  return key.thread !== key.channel;
}

function channelKey(key: ConversationKey): string {
  return `model:${key.platform}:${key.workspace}:${key.channel}`;
}

function threadKey(key: ConversationKey): string {
  return `model:${key.platform}:${key.workspace}:${key.channel}:${key.thread}`;
}

/** /model: show the chat model of this thread (or channel), or set it to an allowed one. */
export async function modelCommand(
  turn: Turn,
  deps: { config: Config; settings: ChannelSettings; catalog: ModelCatalog },
): Promise<string> {
  const name = (turn.options?.name ?? turn.text).trim();
  const prefix = deps.config.commandPrefix;
  const [ask, search, reason] = [
    slashCommand("ask", prefix),
    slashCommand("search", prefix),
    slashCommand("reason", prefix),
  ];
  const allowed = deps.config.allowedModels.map((model) => `\`${model}\``).join(", ");
  if (!name) {
    const current = (await deps.settings.chatModel(turn.key)) ?? deps.config.models.chat;
    return `The chat model of ${placeName(turn.key)} is \`${current}\` (${search} and ${reason} use their own).\nAllowed models: ${allowed}.\nChange it with ${commandHint(turn.key, "model", prefix, "<name>")}.`;
  }
  const chosen = resolveAllowedModel(name, deps.config.allowedModels);
  await deps.settings.setChatModel(turn.key, chosen);
  const warning = deps.catalog.isListed(chosen)
    ? ""
    : `\n⚠️ The provider does not list \`${chosen}\` right now.`;
  return `From now on, ${modelScope(turn.key, ask)} \`${chosen}\`; ${search} and ${reason} keep their own models.${warning}`;
}

/** "this thread", "this channel" or, where there are no threads (the terminal), "this conversation". */
function placeName(key: ConversationKey): string {
  if (!platformHasThreads(key.platform)) return "this conversation";
  return isThreadConversation(key) ? "this thread" : "this channel";
}

/** Which turns a /model choice here reaches; `ask` is /ask as users type it. */
function modelScope(key: ConversationKey, ask: string): string {
  if (!platformHasThreads(key.platform)) return `${ask} and plain messages here use`;
  return isThreadConversation(key)
    ? `${ask}, mentions and follow-ups in this thread use`
    : `${ask}, mentions and follow-ups in this channel (and its threads without a choice of their own) use`;
}

/** /reset: forget this conversation. */
export async function resetCommand(
  turn: Turn,
  conversations: ConversationStore,
  commandPrefix: string,
): Promise<string> {
  if (await conversations.forget(turn.key))
    return "Done: I forgot this conversation. The next message starts fresh.";
  // Outside a thread, the user may have meant one of the channel's threads: say how to reach it.
  if (isThreadConversation(turn.key) || !platformHasThreads(turn.key.platform))
    return "There is nothing to forget here yet.";
  const inThread = commandHint(turn.key, "reset", commandPrefix, "", { inThread: true });
  return `There is nothing to forget here yet. To reset a thread, write ${inThread} in it.`;
}

/** /usage: tokens and cost of the caller, this channel and this workspace, today and this month. */
export async function usageCommand(turn: Turn, usage: UsageLedger): Promise<string> {
  const { platform, workspace, channel } = turn.key;
  const rows: [string, "user" | "channel" | "workspace", string][] = [
    ["You", "user", `${platform}:${workspace}:${turn.author.id}`],
    ["This channel", "channel", `${platform}:${workspace}:${channel}`],
    ["This workspace", "workspace", `${platform}:${workspace}`],
  ];
  const lines = await Promise.all(
    rows.map(async ([label, scope, id]) => {
      const [today, month] = await Promise.all([
        usage.read(scope, id, "today"),
        usage.read(scope, id, "month"),
      ]);
      return `• **${label}** — today: ${describeTotals(today)}; this month: ${describeTotals(month)}`;
    }),
  );
  return ["**Usage** (UTC days and months)", ...lines].join("\n");
}

function describeTotals(totals: UsageTotals): string {
  const tokens = totals.promptTokens + totals.completionTokens;
  const cost = totals.costUsd >= 0.01 ? totals.costUsd.toFixed(2) : totals.costUsd.toFixed(4);
  return `${tokens.toLocaleString("en-US")} tokens (${totals.promptTokens.toLocaleString("en-US")} in, ${totals.completionTokens.toLocaleString("en-US")} out), $${cost}, ${totals.requests} ${totals.requests === 1 ? "request" : "requests"}`;
}
