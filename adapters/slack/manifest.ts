// The Slack app manifest, derived from the command registry: scopes, events, slash commands, the agent view.
import { slashCommand } from "../../src/command-names.ts";
import { COMMANDS, type CommandSpec } from "../../src/commands.ts";
import { withoutCredentials } from "../../src/config.ts";
import { ParleyError } from "../../src/errors.ts";
import { MESSAGE_ACTIONS } from "../../src/message-actions.ts";
import { messageActionCallbackId } from "./shortcut-ids.ts";

/** Where Slack delivers events, commands and interactivity in HTTP mode. */
export const SLACK_EVENTS_PATH = "/slack/events";

/** The app's name in Slack (its bot user's display name too). */
export const SLACK_APP_NAME = "parley";

/** Bot scopes, each for something the adapter does. */
export const SLACK_BOT_SCOPES = [
  "app_mentions:read", // app_mention events
  "assistant:write", // DM threads: status, title, suggested prompts
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

/**
 * Events the bot subscribes to: the agent messaging experience (`agent_view`) tells parley when a user opens its
 * DM (app_home_opened) and what they are looking at (app_context_changed).
 */
export const SLACK_BOT_EVENTS = [
  "agent_session_stopped",
  "app_context_changed",
  "app_home_opened",
  "app_mention",
  "message.channels",
  "message.groups",
  "message.im",
  "message.mpim",
] as const;

/**
 * Events of the older assistant messaging experience (`assistant_view`): still handled, so an app created from an
 * earlier manifest keeps working, but no longer subscribed to by the generated manifest.
 */
export const SLACK_ASSISTANT_VIEW_EVENTS = [
  "assistant_thread_context_changed",
  "assistant_thread_started",
] as const;

/** The scope each Web API method parley calls needs (undefined: none), so the manifest asks for all of them. */
export const SLACK_METHOD_SCOPES: Readonly<Record<string, string | undefined>> = {
  "assistant.threads.setStatus": "assistant:write",
  "assistant.threads.setSuggestedPrompts": "assistant:write",
  "assistant.threads.setTitle": "assistant:write",
  "auth.test": undefined,
  "chat.delete": "chat:write",
  "chat.postEphemeral": "chat:write",
  "chat.postMessage": "chat:write",
  "chat.update": "chat:write",
  // Native streaming of answers (docs.slack.dev: bot scope chat:write for all three).
  "chat.appendStream": "chat:write",
  "chat.startStream": "chat:write",
  "chat.stopStream": "chat:write",
  // Summarize reads a thread or a channel's recent messages (groups:, im: and mpim:history cover the other kinds).
  "conversations.history": "channels:history",
  "conversations.replies": "channels:history",
  "users.info": "users:read",
};

/** What the agent messaging experience shows about parley in its DM. */
export const SLACK_AGENT_DESCRIPTION =
  "Ask parley anything in a direct message: each question gets its own thread, answered with the AI/ML API's models.";

/** One slash command as the manifest declares it. */
interface ManifestSlashCommand {
  command: string;
  /** Where Slack posts the command in HTTP mode. */
  url?: string;
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

/** How Slack reaches parley and what its commands are called. */
export interface SlackManifestOptions {
  /** HTTP mode: the public URL of parley's /slack/events, from `slackRequestUrl`; without it, Socket Mode. */
  requestUrl?: string;
  /** COMMAND_PREFIX, put before every command's name (default none). */
  commandPrefix?: string;
}

/** The manifest: Socket Mode, or HTTP mode with every request URL filled in when `requestUrl` is given. */
export function buildSlackManifest(options: SlackManifestOptions = {}) {
  const { requestUrl, commandPrefix = "" } = options;
  const slashCommands: ManifestSlashCommand[] = COMMANDS.map((spec) => ({
    command: slashCommand(spec.name, commandPrefix),
    ...(requestUrl ? { url: requestUrl } : {}),
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
      // The agent messaging experience; Slack offers new apps nothing else. Suggested prompts are set per DM when
      // it is opened (app_home_opened), not here.
      agent_view: { agent_description: SLACK_AGENT_DESCRIPTION },
      slash_commands: slashCommands,
      // The message actions: a message's ⋮ menu (More actions) → Explain, Summarize, Translate to English.
      shortcuts: MESSAGE_ACTIONS.map((action) => ({
        name: action.title,
        type: "message",
        callback_id: messageActionCallbackId(action),
        description: action.description,
      })),
    },
    oauth_config: { scopes: { bot: [...SLACK_BOT_SCOPES] } },
    settings: {
      event_subscriptions: {
        ...(requestUrl ? { request_url: requestUrl } : {}),
        bot_events: [...SLACK_BOT_EVENTS],
      },
      interactivity: { is_enabled: true, ...(requestUrl ? { request_url: requestUrl } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: requestUrl === undefined,
      token_rotation_enabled: false,
    },
  };
}

/** The manifest file's text: two-space JSON and a final newline. */
export function slackManifestText(options: SlackManifestOptions = {}): string {
  return `${JSON.stringify(buildSlackManifest(options), null, 2)}\n`;
}

/**
 * The URL Slack sends every request to in HTTP mode, from the public https address parley is reached at:
 * `https://parley.example.com` → `https://parley.example.com/slack/events`. A path is kept (for a proxy that
 * forwards it), and an address already ending in /slack/events is taken as it is. Throws a `bad_input` sentence.
 */
export function slackRequestUrl(address: string): string {
  const url = URL.parse(address.trim());
  const problem = url ? requestUrlProblem(url) : "is not a URL";
  if (!url || problem) {
    const shown = address.trim() === "" ? "nothing" : `"${withoutCredentials(address.trim())}"`;
    throw new ParleyError(
      "bad_input",
      "--http needs the public https:// address Slack reaches parley at, such as " +
        `\`npm run manifest -- --http https://parley.example.com\`; got ${shown}, which ${problem}.`,
    );
  }
  const path = url.pathname.replace(/\/+$/, "");
  url.pathname = path.endsWith(SLACK_EVENTS_PATH) ? path : `${path}${SLACK_EVENTS_PATH}`;
  return url.toString();
}

/** Why Slack could not use this address for its requests, or undefined when it can. */
function requestUrlProblem(url: URL): string | undefined {
  if (url.protocol !== "https:") return "does not start with https:// (Slack sends requests only over HTTPS)";
  if (url.username || url.password) return "holds a user name or password";
  if (url.search || url.hash) return "has a query or a fragment";
  return undefined;
}
