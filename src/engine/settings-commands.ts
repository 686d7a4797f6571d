// The commands that answer without a model: /model, /reset, /usage and /help (/settings has its own file).
import { COMMANDS } from "../commands.ts";
import type { Config } from "../config.ts";
import type { ConversationStore } from "../context/conversation-store.ts";
import type { ModelCatalog } from "../models/catalog.ts";
import type { UsageLimits } from "../policy/policy-config.ts";
import { formatCount, formatDollars } from "../policy/refusal.ts";
import type { Turn } from "../types.ts";
import { type UsageLedger, type UsageTotals, usageScopes } from "../usage/usage-ledger.ts";
import { type ChannelChoices, type ChannelSettings, isThread } from "./channel-settings.ts";
import { effectiveModels, modelsLine, perPersonLimits, promptPreview } from "./channel-settings-show.ts";
import { resolveAllowedModel } from "./routing.ts";

/** /model: show the chat model of this thread (or channel), or set it to an allowed one. */
export async function modelCommand(
  turn: Turn,
  deps: { config: Config; settings: ChannelSettings; catalog: ModelCatalog },
): Promise<string> {
  const name = (turn.options?.name ?? turn.text).trim();
  const allowed = deps.config.allowedModels.map((model) => `\`${model}\``).join(", ");
  const here = isThread(turn.key) ? "this thread" : "this channel";
  if (!name) {
    const current = (await deps.settings.chatModel(turn.key)) ?? deps.config.models.chat;
    return `The chat model of ${here} is \`${current}\` (/search and /reason use their own).\nAllowed models: ${allowed}.\nChange it with \`/model <name>\`.`;
  }
  const model = resolveAllowedModel(name, deps.config.allowedModels);
  await deps.settings.setChatModel(turn.key, model);
  const warning = deps.catalog.isListed(model)
    ? ""
    : `\n⚠️ The provider does not list \`${model}\` right now.`;
  const scope = isThread(turn.key)
    ? "/ask, mentions and follow-ups in this thread use"
    : "/ask, mentions and follow-ups in this channel (and its threads without a choice of their own) use";
  return `From now on, ${scope} \`${model}\`; /search and /reason keep their own models.${warning}`;
}

/** /reset: forget this conversation. */
export async function resetCommand(turn: Turn, conversations: ConversationStore): Promise<string> {
  if (await conversations.forget(turn.key))
    return "Done: I forgot this conversation. The next message starts fresh.";
  return "There is nothing to forget here yet. To reset a thread, write `/reset` in it and mention me.";
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

/** /help: the registry, as a list, and the prompt and models of this channel. */
export function helpCommand(config: Config, catalog: ModelCatalog, channel: ChannelChoices): string {
  const lines = COMMANDS.map((command) => {
    const usage = command.usageHint ? ` ${command.usageHint}` : "";
    return `• \`/${command.name}${usage}\` — ${command.description}`;
  });
  return [
    "**parley** — answers from the AI/ML API, right here.",
    ...lines,
    "Mention me to start a thread; I answer follow-ups in that thread without a mention.",
    `Models here: ${modelsLine(effectiveModels(config, catalog, channel))}.`,
    channel.prompt
      ? `System prompt here (this channel's):\n${promptPreview(channel.prompt)}`
      : "System prompt here: the default (admins can set one with `/settings prompt`).",
  ].join("\n");
}
