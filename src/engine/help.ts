// /help: the command registry as a list, with how to talk to parley on the surface the question came from.
import { slashCommand } from "../command-names.ts";
import { COMMANDS } from "../commands.ts";
import type { Config } from "../config.ts";
import type { ModelCatalog } from "../models/catalog.ts";
import type { ChannelChoices } from "./channel-settings.ts";
import { effectiveModels, modelsLine, promptPreview } from "./channel-settings-show.ts";

/** How a conversation goes on the chat platforms, where parley answers in threads. */
const CHAT_GUIDE = ["Mention me to start a thread; I answer follow-ups in that thread without a mention."];

/** How a conversation goes where there is one conversation and a keyboard: `npm run chat`. */
const TERMINAL_GUIDE = [
  "Type a question to continue the conversation; ↑ and ↓ recall earlier lines.",
  "Ctrl-C stops an answer in progress (what it wrote so far is kept). `/quit`, Ctrl-D or Ctrl-C twice leaves.",
];

/** Surfaces whose conversations work otherwise than the chat platforms', by `ConversationKey.platform`. */
const GUIDES: Readonly<Record<string, readonly string[]>> = { terminal: TERMINAL_GUIDE };

/**
 * /help for a turn from `platform`: the registry, then how to talk to parley there, then the models and the system
 * prompt of the turn's channel.
 */
export function helpCommand(
  config: Config,
  platform: string,
  catalog: ModelCatalog,
  channel: ChannelChoices,
): string {
  const lines = COMMANDS.map((command) => {
    const usage = command.usageHint ? ` ${command.usageHint}` : "";
    return `• \`${slashCommand(command.name, config.commandPrefix)}${usage}\` — ${command.description}`;
  });
  return [
    "**parley** — answers from the AI/ML API, right here.",
    ...lines,
    ...(GUIDES[platform] ?? CHAT_GUIDE),
    `Models here: ${modelsLine(effectiveModels(config, catalog, channel))}.`,
    channel.prompt
      ? `System prompt here (this channel's):\n${promptPreview(channel.prompt)}`
      : `System prompt here: the default (admins can set one with \`${slashCommand("settings", config.commandPrefix)} prompt\`).`,
  ].join("\n");
}
