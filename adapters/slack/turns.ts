// Builds the engine's Turns from parsed Slack messages and commands.
import type { AttachmentReader, ConversationKey, Turn, TurnKind } from "../../src/types.ts";
import { escapeSlackText, shorten } from "./format.ts";
import { slackTextToPlain } from "./incoming-text.ts";
import { SLACK_HEADER_MAX_CHARACTERS } from "./limits.ts";
import type { SlackCommand } from "./parse-command.ts";
import { isDirectMessage, type SlackMessage } from "./parse-event.ts";

/** The turn of a person's message. */
export function messageTurn(input: {
  message: SlackMessage;
  key: ConversationKey;
  kind: Extract<TurnKind, "mention" | "follow-up">;
  displayName: string;
  botUserId: string | undefined;
  readAttachment: AttachmentReader;
  /** Asks Slack whether the author is a workspace admin or owner. */
  isPlatformAdmin?: () => Promise<boolean>;
}): Turn {
  const { message } = input;
  return {
    key: input.key,
    author: {
      id: message.userId,
      displayName: input.displayName,
      isBot: false,
      ...(input.isPlatformAdmin ? { isPlatformAdmin: input.isPlatformAdmin } : {}),
    },
    kind: input.kind,
    ...(isDirectMessage(message) ? { venue: "direct" as const } : {}),
    text: slackTextToPlain(message.text, input.botUserId),
    ...(message.attachments.length > 0
      ? { attachments: message.attachments, readAttachment: input.readAttachment }
      : {}),
  };
}

/** The turn of a slash command, answered under `key`; `isPlatformAdmin` asks Slack about the author's role. */
export function commandTurn(
  command: SlackCommand,
  key: ConversationKey,
  isPlatformAdmin?: () => Promise<boolean>,
): Turn {
  return {
    key,
    author: {
      id: command.userId,
      displayName: command.userName,
      isBot: false,
      ...(isPlatformAdmin ? { isPlatformAdmin } : {}),
    },
    kind: command.spec.name,
    text: command.text,
    options: command.options,
    ...(command.subcommand === undefined ? {} : { subcommand: command.subcommand }),
    // Direct-message channels are the ones whose ids start with D.
    ...(command.channel.startsWith("D") ? { venue: "direct" as const } : {}),
  };
}

/** The quoted line above a command's answer, so the channel sees what was asked: `> *ann*: /ask why…`. */
export function commandHeader(command: SlackCommand): string {
  const options = Object.entries(command.options).map(([name, value]) => `${name}:${value}`);
  const typed = [command.command, ...options, command.text].filter(Boolean).join(" ");
  for (let questionLength = 300; ; questionLength -= 50) {
    const header = `> *${escapeSlackText(command.userName)}*: ${escapeSlackText(shorten(typed, questionLength))}`;
    if (header.length <= SLACK_HEADER_MAX_CHARACTERS || questionLength <= 50) return header;
  }
}

/** A conversation key in Slack's terms. */
export function slackKey(teamId: string, channel: string, thread: string): ConversationKey {
  return { platform: "slack", workspace: teamId, channel, thread };
}
