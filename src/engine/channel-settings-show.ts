// /settings show and the lines /help and /usage share: a channel's effective prompt, models and limits.
import type { Config } from "../config.ts";
import type { ModelCatalog } from "../models/catalog.ts";
import { effectiveLimits } from "../policy/limits.ts";
import type { UsageLimits } from "../policy/policy-config.ts";
import { formatCount, formatDollars } from "../policy/refusal.ts";
import type { Turn } from "../types.ts";
import { type UsageLedger, usageScopes } from "../usage/usage-ledger.ts";
import type { ChannelChoices } from "./channel-settings.ts";

/** Where an effective setting comes from. */
export type SettingSource = "this thread's /model" | "this channel's" | "the default";

/** The model each command uses in a conversation, and where that choice comes from. */
export function effectiveModels(
  config: Config,
  catalog: ModelCatalog,
  channel: ChannelChoices,
): Record<"ask" | "search" | "reason", { model: string; from: SettingSource }> {
  const channelSearch =
    channel.searchModel && catalog.isListed(channel.searchModel) ? channel.searchModel : undefined;
  return {
    ask: {
      model: channel.chatModel ?? config.models.chat,
      from:
        channel.chatModelFrom === "thread"
          ? "this thread's /model"
          : channel.chatModelFrom === "channel"
            ? "this channel's"
            : "the default",
    },
    search: channelSearch
      ? { model: channelSearch, from: "this channel's" }
      : { model: catalog.searchModel.id, from: "the default" },
    reason: channel.reasonModel
      ? { model: channel.reasonModel, from: "this channel's" }
      : { model: config.models.reason, from: "the default" },
  };
}

/** The first lines of a prompt, quoted: enough to recognise it in a chat message. */
export function promptPreview(prompt: string): string {
  const lines = prompt.trim().split("\n").slice(0, 3);
  let preview = lines.join("\n");
  if (preview.length > 300) preview = `${preview.slice(0, 299).trimEnd()}…`;
  else if (preview.length < prompt.trim().length) preview = `${preview}…`;
  return preview
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
}

/** "/ask `m` (this channel's), /search `s` (the default), /reason `r` (the default)". */
export function modelsLine(models: ReturnType<typeof effectiveModels>): string {
  return (["ask", "search", "reason"] as const)
    .map((command) => `/${command} \`${models[command].model}\` (${models[command].from})`)
    .join(", ");
}

/** The per-person rate limits as a phrase, or undefined when there are none. */
export function perPersonLimits(limits: UsageLimits): string | undefined {
  const parts = [
    limits.userTurnsPerMinute === undefined
      ? ""
      : `${formatCount(limits.userTurnsPerMinute)} ${limits.userTurnsPerMinute === 1 ? "question" : "questions"} a minute`,
    limits.userConcurrent === undefined
      ? ""
      : `${formatCount(limits.userConcurrent)} ${limits.userConcurrent === 1 ? "answer" : "answers"} at a time`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(", ") : undefined;
}

/** /settings show: the channel's prompt, models, limits and today's use against them. Anyone may look. */
export async function showSettings(
  turn: Turn,
  deps: { config: Config; catalog: ModelCatalog; usage: UsageLedger; channel: ChannelChoices },
): Promise<string> {
  const { config, channel } = deps;
  const limits = effectiveLimits(config.policy.limits, channel);
  const scopes = usageScopes(turn.key, turn.author.id);
  const [you, here, workspaceToday, workspaceMonth] = await Promise.all([
    deps.usage.read("user", scopes.user, "today"),
    deps.usage.read("channel", scopes.channel, "today"),
    deps.usage.read("workspace", scopes.workspace, "today"),
    deps.usage.read("workspace", scopes.workspace, "month"),
  ]);
  const tokens = (totals: { promptTokens: number; completionTokens: number }) =>
    totals.promptTokens + totals.completionTokens;
  const own = (value: number | undefined) => (value === undefined ? "the default" : "this channel's");
  const tokenLimit = (limit: number | undefined, used: number, usedBy: string, source?: string) =>
    `${limit === undefined ? "none" : `${formatCount(limit)} tokens`}${source ? ` (${source})` : ""} — ${usedBy} ${formatCount(used)} today`;
  const prompt = channel.prompt
    ? `• **System prompt** (this channel's):\n${promptPreview(channel.prompt)}`
    : `• **System prompt**: the default${config.systemPrompt.trim() ? `:\n${promptPreview(config.systemPrompt)}` : ""}`;
  const lines = [
    "**Settings of this channel** (admins change them with `/settings prompt`, `model` and `limit`)",
    prompt,
    `• **Models**: ${modelsLine(effectiveModels(config, deps.catalog, channel))}`,
    `• **Daily tokens per person**: ${tokenLimit(limits.userDailyTokens, tokens(you), "you used", own(channel.userDailyTokens))}`,
    `• **Daily tokens for this channel**: ${tokenLimit(limits.channelDailyTokens, tokens(here), "used", own(channel.channelDailyTokens))}`,
    `• **Daily tokens for this workspace**: ${tokenLimit(limits.workspaceDailyTokens, tokens(workspaceToday), "used")}`,
    `• **Monthly budget for this workspace**: ${limits.workspaceMonthlyUsd === undefined ? "none" : formatDollars(limits.workspaceMonthlyUsd)} — spent ${formatDollars(workspaceMonth.costUsd)} this month`,
    `• **Per person**: ${perPersonLimits(limits) ?? "no limit on questions a minute or answers at a time"}`,
    `• Conversations are kept ${formatCount(config.policy.retentionDays)} ${config.policy.retentionDays === 1 ? "day" : "days"} after their last turn. Days and months are UTC.`,
  ];
  return lines.join("\n");
}
