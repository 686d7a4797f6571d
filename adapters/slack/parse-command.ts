// Parses slash-command payloads; options come off the text as the registry declares them (src/command-arguments.ts).
import { parseTypedArguments } from "../../src/command-arguments.ts";
import { commandForName } from "../../src/command-names.ts";
import { type CommandSpec, findSubcommand } from "../../src/commands.ts";
import { slackTextToPlain } from "./incoming-text.ts";
import { isRecord, stringField } from "./json-fields.ts";

/** A slash command as parley needs it. */
export interface SlackCommand {
  spec: CommandSpec;
  /** The subcommand (the first word) of a command that has them. */
  subcommand?: string;
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
  const raw = typeof payload.text === "string" ? payload.text : "";
  const { subcommand, text, options } = parseTypedArguments(spec, slackTextToPlain(raw));
  const mainOption = (subcommand ? findSubcommand(spec, subcommand)?.options : spec.options)?.find(
    (option) => option.isMainText,
  );
  // A mention names a person by id (`<@U1|ann>`), which the plain text turns into "@ann": keep the id.
  const mentioned = mainOption?.isUser ? /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/.exec(raw)?.[1] : undefined;
  return {
    spec,
    ...(subcommand === undefined ? {} : { subcommand }),
    command: `/${name}`,
    text: mentioned ?? text,
    options,
    teamId,
    channel,
    userId,
    userName: stringField(payload, "user_name") ?? userId,
    responseUrl: stringField(payload, "response_url"),
    threadTs: stringField(payload, "thread_ts"),
  };
}
