// The commands that answer without a model: /model, /reset and /usage (/help is in help.ts, /settings in its own file).
import { commandHint, isThreadConversation, platformHasThreads } from "../command-hint.ts";
import { slashCommand } from "../command-names.ts";
import type { Config } from "../config.ts";
import type { ConversationStore } from "../context/conversation-store.ts";
import type { ModelCatalog } from "../models/catalog.ts";
import type { UsageLimits } from "../policy/policy-config.ts";
import { formatCount, formatDollars } from "../policy/refusal.ts";
import type { ConversationKey, Turn } from "../types.ts";
import { type UsageLedger, type UsageTotals, usageScopes } from "../usage/usage-ledger.ts";
import type { ChannelSettings } from "./channel-settings.ts";
import { perPersonLimits } from "./channel-settings-show.ts";
import { resolveAllowedModel } from "./routing.ts";

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

/**
 * /usage: tokens and cost of the caller, this channel and this workspace, today and this month, each beside the
 * limit that applies to it here.
 */
export async function usageCommand(turn: Turn, usage: UsageLedger, limits: UsageLimits): Promise<string> {
  const scopes = usageScopes(turn.key, turn.author.id);
  const rows: [string, "user" | "channel" | "workspace", string, number | undefined][] = [
    ["You", "user", scopes.user, limits.userDailyTokens],
    ["This channel", "channel", scopes.channel, limits.channelDailyTokens],
    ["This workspace", "workspace", scopes.workspace, limits.workspaceDailyTokens],
  ];
  const lines = await Promise.all(
    rows.map(async ([label, scope, id, dailyLimit]) => {
      const [today, month] = await Promise.all([
        usage.read(scope, id, "today"),
        usage.read(scope, id, "month"),
      ]);
      const monthlyBudget = scope === "workspace" ? limits.workspaceMonthlyUsd : undefined;
      return `• **${label}** — today: ${describeTotals(today)}${tokenLimitNote(today, dailyLimit)}; this month: ${describeTotals(month)}${budgetNote(month, monthlyBudget)}`;
    }),
  );
  const perPerson = perPersonLimits(limits);
  return [
    "**Usage** (UTC days and months)",
    ...lines,
    ...(perPerson ? [`• **Per person**: at most ${perPerson}.`] : []),
  ].join("\n");
}

/** " (limit 20,000 a day: 18,766 left)" beside a day's tokens, or nothing without a limit. */
function tokenLimitNote(totals: UsageTotals, limit: number | undefined): string {
  if (limit === undefined) return "";
  const left = Math.max(0, limit - totals.promptTokens - totals.completionTokens);
  return ` (limit ${formatCount(limit)} a day: ${formatCount(left)} left)`;
}

/** " (budget $50.00 a month: $48.77 left)" beside a month's cost, or nothing without a budget. */
function budgetNote(totals: UsageTotals, budget: number | undefined): string {
  if (budget === undefined) return "";
  return ` (budget ${formatDollars(budget)} a month: ${formatDollars(Math.max(0, budget - totals.costUsd))} left)`;
}

function describeTotals(totals: UsageTotals): string {
  const tokens = totals.promptTokens + totals.completionTokens;
  const cost = totals.costUsd >= 0.01 ? totals.costUsd.toFixed(2) : totals.costUsd.toFixed(4);
  return `${tokens.toLocaleString("en-US")} tokens (${totals.promptTokens.toLocaleString("en-US")} in, ${totals.completionTokens.toLocaleString("en-US")} out), $${cost}, ${totals.requests} ${totals.requests === 1 ? "request" : "requests"}`;
}
