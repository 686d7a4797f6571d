// What `npm start` needs beyond the core's settings: at least one chat platform, with every credential it takes.

/** The variables each platform reads; a value counts when it is not blank. */
type Environment = Record<string, string | undefined>;

const isSet = (env: Environment, name: string): boolean => Boolean(env[name]?.trim());

/**
 * One line per platform setting that is missing or malformed, each naming its variable; empty when at least one
 * platform can start. Token values are judged by their prefix only and never repeated.
 */
export function platformProblems(env: Environment): string[] {
  const problems: string[] = [];
  const slackWanted = ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"].some((name) =>
    isSet(env, name),
  );
  if (!isSet(env, "DISCORD_TOKEN") && !slackWanted) {
    problems.push(
      "DISCORD_TOKEN or SLACK_BOT_TOKEN: no chat platform is configured. Set DISCORD_TOKEN for Discord, or " +
        "SLACK_BOT_TOKEN with SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) for Slack. " +
        "To try parley without a platform, run `npm run chat`.",
    );
  }
  if (!slackWanted) return problems;
  const botToken = env.SLACK_BOT_TOKEN?.trim();
  if (!botToken) {
    problems.push(
      "SLACK_BOT_TOKEN: required for Slack: the Bot User OAuth Token (xoxb-…) under OAuth & Permissions",
    );
  } else if (!botToken.startsWith("xoxb-")) {
    problems.push(
      "SLACK_BOT_TOKEN: expected the Bot User OAuth Token, which starts with xoxb- (OAuth & Permissions)",
    );
  }
  const appToken = env.SLACK_APP_TOKEN?.trim();
  if (appToken && !appToken.startsWith("xapp-")) {
    problems.push(
      "SLACK_APP_TOKEN: expected an app-level token, which starts with xapp- (Basic Information → App-Level Tokens)",
    );
  }
  if (!appToken && !isSet(env, "SLACK_SIGNING_SECRET")) {
    problems.push(
      "SLACK_SIGNING_SECRET: required in HTTP mode (Basic Information → App Credentials); or set SLACK_APP_TOKEN " +
        "to use Socket Mode",
    );
  }
  return problems;
}
