// /settings: anyone may look; admins change the channel's prompt, models and limits, or forget a person.
import { findCommand, LIMIT_SCOPES, SETTINGS_MODEL_COMMANDS } from "../commands.ts";
import type { Config } from "../config.ts";
import type { ConversationStore } from "../context/conversation-store.ts";
import { badInput, ParleyError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { ModelCatalog } from "../models/catalog.ts";
import { isWebSearchModel } from "../models/families.ts";
import { isAdmin, NOT_ADMIN_MESSAGE } from "../policy/admins.ts";
import { formatCount } from "../policy/refusal.ts";
import type { Turn } from "../types.ts";
import { type UsageLedger, usageScopes } from "../usage/usage-ledger.ts";
import { type ChannelSettingName, type ChannelSettings, isThread } from "./channel-settings.ts";
import { promptPreview, showSettings } from "./channel-settings-show.ts";
import { MAX_PROMPT_CHARACTERS, resolveAllowedModel } from "./routing.ts";

/** What /settings works with. */
export interface SettingsCommandDependencies {
  config: Config;
  settings: ChannelSettings;
  catalog: ModelCatalog;
  usage: UsageLedger;
  conversations: ConversationStore;
  logger: Logger;
}

/** The word that puts a setting back to the environment's default. */
const RESET = "reset";

/** Runs /settings and its subcommands; a change by a non-admin is refused and changes nothing. */
export async function settingsCommand(turn: Turn, deps: SettingsCommandDependencies): Promise<string> {
  const subcommand = turn.subcommand ?? "show";
  if (subcommand === "show")
    return showSettings(turn, { ...deps, channel: await deps.settings.read(turn.key) });
  if (!["prompt", "model", "limit", "forget"].includes(subcommand)) {
    const names = findCommand("settings")?.subcommands?.map((known) => known.name) ?? [];
    throw badInput(`Unknown setting "${subcommand}". Use \`/settings\` with one of: ${names.join(", ")}.`);
  }
  if (!(await isAdmin(turn, deps.config.policy.adminUsers, deps.logger)))
    throw new ParleyError("not_admin", NOT_ADMIN_MESSAGE);
  if (subcommand === "forget") return forgetPerson(turn, deps);
  const change =
    subcommand === "prompt"
      ? promptChange(turn)
      : subcommand === "model"
        ? modelChange(turn, deps)
        : limitChange(turn);
  await deps.settings.set(turn.key, change.setting, change.value);
  deps.logger.info(
    {
      channel: `${turn.key.platform}:${turn.key.workspace}:${turn.key.channel}`,
      setting: change.setting,
      value: typeof change.value === "string" ? change.value.slice(0, 200) : (change.value ?? "default"),
      by: `${turn.key.platform}:${turn.author.id}`,
      byName: turn.author.displayName,
    },
    "channel setting changed",
  );
  const inThread = isThread(turn.key) ? "\nThis applies to the whole channel, this thread included." : "";
  return `${change.confirmation}${inThread}`;
}

/** A change to make, and what to tell the admin. */
interface Change {
  setting: ChannelSettingName;
  /** Undefined: back to the default. */
  value: string | number | undefined;
  confirmation: string;
}

function promptChange(turn: Turn): Change {
  const text = (turn.options?.text ?? turn.text).trim();
  if (!text)
    throw badInput(
      "Write the prompt after the command: `/settings prompt You are …`, or `/settings prompt reset`.",
    );
  if (text.toLowerCase() === RESET)
    return {
      setting: "prompt",
      value: undefined,
      confirmation: "This channel uses the default system prompt again.",
    };
  if (text.length > MAX_PROMPT_CHARACTERS)
    throw badInput(
      `That prompt is ${formatCount(text.length)} characters; the limit is ${formatCount(MAX_PROMPT_CHARACTERS)}.`,
    );
  return {
    setting: "prompt",
    value: text,
    confirmation: `New turns in this channel and its threads now use this system prompt:\n${promptPreview(text)}`,
  };
}

function modelChange(turn: Turn, deps: SettingsCommandDependencies): Change {
  const command = turn.options?.command?.trim().toLowerCase();
  const name = (turn.options?.model ?? turn.text).trim();
  if (!command || !(SETTINGS_MODEL_COMMANDS as readonly string[]).includes(command) || !name)
    throw badInput(
      "Say which command and which model: `/settings model ask gpt-4o-mini`, `/settings model search <web-search model>`, `/settings model reason <model>`, or `… reset`.",
    );
  const setting: ChannelSettingName =
    command === "search" ? "searchModel" : command === "reason" ? "reasonModel" : "chatModel";
  if (name.toLowerCase() === RESET)
    return {
      setting,
      value: undefined,
      confirmation: `/${command} uses the default model in this channel again.`,
    };
  const model =
    command === "search" ? searchModel(name, deps) : resolveAllowedModel(name, deps.config.allowedModels);
  const warning = deps.catalog.isListed(model)
    ? ""
    : `\n⚠️ The provider does not list \`${model}\` right now.`;
  const scope =
    command === "ask"
      ? "/ask, mentions and follow-ups in this channel now use"
      : `/${command} in this channel now uses`;
  const threadsNote = command === "ask" ? " (a thread's own /model still wins there)" : "";
  return { setting, value: model, confirmation: `${scope} \`${model}\`${threadsNote}.${warning}` };
}

/** A web-search model from MODEL_ALLOW or the provider's list, by its listed id. */
function searchModel(name: string, deps: SettingsCommandDependencies): string {
  const allowed = deps.config.allowedModels.find((model) => model.toLowerCase() === name.toLowerCase());
  const candidate = allowed ?? (deps.catalog.isListed(name) ? deps.catalog.info(name).id : undefined);
  if (!candidate || !isWebSearchModel(candidate))
    throw badInput(
      `"${name}" is not a web-search model parley may use. Pick a web-search model from MODEL_ALLOW or the provider's list (such as perplexity/sonar or gpt-4o-mini-search-preview).`,
    );
  return candidate;
}

function limitChange(turn: Turn): Change {
  const scope = turn.options?.scope?.trim().toLowerCase();
  const amount = (turn.options?.tokens ?? turn.text).trim().toLowerCase();
  if (!scope || !(LIMIT_SCOPES as readonly string[]).includes(scope) || !amount)
    throw badInput(
      "Say whose limit and how many tokens a day: `/settings limit user 20000`, `/settings limit channel 200000` (0: no limit), or `… reset`.",
    );
  const setting: ChannelSettingName = scope === "user" ? "userDailyTokens" : "channelDailyTokens";
  const whose =
    scope === "user" ? "Each person's daily token limit in this channel" : "This channel's daily token limit";
  if (amount === RESET)
    return {
      setting,
      value: undefined,
      confirmation: `${whose} is the default again (LIMIT_${scope.toUpperCase()}_DAILY_TOKENS).`,
    };
  if (!/^\d[\d,_]*$/.test(amount) || Number(amount.replace(/[,_]/g, "")) > 1e12)
    throw badInput(
      `"${amount}" is not a number of tokens. Write a whole number such as 20000 (0: no limit), or reset.`,
    );
  const tokens = Number(amount.replace(/[,_]/g, ""));
  return {
    setting,
    value: tokens,
    confirmation:
      tokens === 0 ? `${whose} is now: none.` : `${whose} is now ${formatCount(tokens)} tokens a day.`,
  };
}

/** The user id in `<@123>`, `<@!123>`, `<@U1|ann>`, `@U1` or a bare id. */
export function personIdFrom(text: string): string | undefined {
  const trimmed = text.trim();
  const match = /^<@!?([\w.-]+)(?:\|[^>]*)?>$/.exec(trimmed) ?? /^@?([\w.-]+)$/.exec(trimmed);
  return match?.[1];
}

/** The id of the person `@name` names, when the platform turned their mention into that name. */
function mentionedId(turn: Turn, named: string): string | undefined {
  const name = named.trim().replace(/^@/, "");
  return turn.mentioned?.find((person) => person.name === name)?.id;
}

async function forgetPerson(turn: Turn, deps: SettingsCommandDependencies): Promise<string> {
  const named = turn.options?.user ?? turn.text;
  const personId = mentionedId(turn, named) ?? personIdFrom(named);
  if (!personId) throw badInput("Say who to forget: `/settings forget @someone` (or their user id).");
  const person = usageScopes(turn.key, personId).user;
  const [conversations, usageRecords] = await Promise.all([
    deps.conversations.forgetStartedBy(person),
    deps.usage.forgetUser(person),
  ]);
  deps.logger.info(
    {
      workspace: `${turn.key.platform}:${turn.key.workspace}`,
      forgotten: person,
      conversations,
      usageRecords,
      by: `${turn.key.platform}:${turn.author.id}`,
      byName: turn.author.displayName,
    },
    "person forgotten",
  );
  const plural = (count: number, one: string, many: string) =>
    `${formatCount(count)} ${count === 1 ? one : many}`;
  return `Forgot ${personId} in this workspace: deleted ${plural(conversations, "conversation", "conversations")} they started and ${plural(usageRecords, "usage record", "usage records")}.`;
}
