// The Slack app manifest, derived from the command registry: scopes, events, slash commands, assistant settings.
import { COMMANDS, type CommandSpec } from "../../src/commands.ts";
import { SUGGESTED_PROMPTS } from "./suggested-prompts.ts";

/** The app's name in Slack (its bot user's display name too). */
export const SLACK_APP_NAME = "parley";

/** Bot scopes, each for something the adapter does. */
export const SLACK_BOT_SCOPES = [
  "app_mentions:read", // app_mention events
  "assistant:write", // assistant threads: status, title, suggested prompts
  "channels:history", // follow-ups in public channel threads
  "chat:write", // answers
  "chat:write.public", // command answers in public channels parley was not invited to
  "commands", // slash commands
  "files:read", // files shared with a question
  "groups:history", // follow-ups in private channel threads
  "im:history", // direct messages
  "mpim:history", // group direct messages
  "users:read", // authors' display names
] as const;

/** Events the bot subscribes to. */
export const SLACK_BOT_EVENTS = [
  "app_mention",
  "assistant_thread_context_changed",
  "assistant_thread_started",
  "message.channels",
  "message.groups",
  "message.im",
  "message.mpim",
] as const;

/** One slash command as the manifest declares it. */
interface ManifestSlashCommand {
  command: string;
  description: string;
  usage_hint?: string;
  should_escape: boolean;
}

/** True when some option of the command (or of a subcommand) names a person. */
function namesPeople(spec: CommandSpec): boolean {
  return [...spec.options, ...(spec.subcommands ?? []).flatMap((subcommand) => subcommand.options)].some(
    (option) => option.isUser === true,
  );
}

/** The manifest for Socket Mode (for HTTP mode, set the request URLs to https://<host>/slack/events). */
export function buildSlackManifest() {
  const slashCommands: ManifestSlashCommand[] = COMMANDS.map((spec) => ({
    command: `/${spec.name}`,
    description: spec.description,
    ...(spec.usageHint === "" ? {} : { usage_hint: spec.usageHint }),
    // Escaped, a mention arrives with the person's id (`<@U1|ann>`): /settings forget needs it.
    should_escape: namesPeople(spec),
  }));
  return {
    display_information: {
      name: SLACK_APP_NAME,
      description: "The AI/ML API in your team chat: ask, search the web and reason, in threads.",
      background_color: "#1d3557",
    },
    features: {
      app_home: {
        home_tab_enabled: false,
        messages_tab_enabled: true,
        messages_tab_read_only_enabled: false,
      },
      bot_user: { display_name: SLACK_APP_NAME, always_online: true },
      assistant_view: {
        assistant_description: "Ask parley anything; it answers with the AI/ML API's models.",
        suggested_prompts: SUGGESTED_PROMPTS.map((prompt) => ({
          title: prompt.title,
          message: prompt.message,
        })),
      },
      slash_commands: slashCommands,
    },
    oauth_config: { scopes: { bot: [...SLACK_BOT_SCOPES] } },
    settings: {
      event_subscriptions: { bot_events: [...SLACK_BOT_EVENTS] },
      interactivity: { is_enabled: true },
      org_deploy_enabled: false,
      socket_mode_enabled: true,
      token_rotation_enabled: false,
    },
  };
}

/** The manifest file's text: two-space JSON and a final newline. */
export function slackManifestText(): string {
  return `${JSON.stringify(buildSlackManifest(), null, 2)}\n`;
}
