// Parses slash-command payloads; options come off the text as the registry declares them (src/command-arguments.ts).
import { parseCommandArguments } from "../../src/command-arguments.ts";
import { commandForName } from "../../src/command-names.ts";
import type { CommandSpec } from "../../src/commands.ts";
import { slackTextToPlain } from "./incoming-text.ts";
import { isRecord, stringField } from "./json-fields.ts";

/** A slash command as parley needs it. */
export interface SlackCommand {
  spec: CommandSpec;
  /** The command as the user typed it, COMMAND_PREFIX included: `/ai-ask`. */
  command: string;
  /** The command's main text (prompt, query, model name), options taken off the front. */
  text: string;
  options: Record<string, string>;
  teamId: string;
  channel: string;
  userId: string;
  /** The user's handle as the payload names them. */
  userName: string;
  responseUrl: string | undefined;
  /** The thread the command was typed in, when Slack says so (it often does not). */
  threadTs: string | undefined;
}

/** The command in a slash-command payload, or undefined when it is not one of parley's (which are the
 *  registry's names with `commandPrefix` in front). */
export function parseSlashCommand(payload: unknown, commandPrefix: string): SlackCommand | undefined {
  if (!isRecord(payload)) return undefined;
  const name = stringField(payload, "command")?.replace(/^\//, "").toLowerCase();
  const spec = name === undefined ? undefined : commandForName(name, commandPrefix);
  const teamId = stringField(payload, "team_id");
  const channel = stringField(payload, "channel_id");
  const userId = stringField(payload, "user_id");
  if (!spec || !teamId || !channel || !userId) return undefined;
  const typed = typeof payload.text === "string" ? slackTextToPlain(payload.text) : "";
  const { text, options } = parseCommandArguments(spec, typed);
  return {
    spec,
    command: `/${name}`,
    text,
    options,
    teamId,
    channel,
    userId,
    userName: stringField(payload, "user_name") ?? userId,
    responseUrl: stringField(payload, "response_url"),
    threadTs: stringField(payload, "thread_ts"),
  };
}
