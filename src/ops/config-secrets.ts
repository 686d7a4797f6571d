// The values in a Config that must never reach a log line, a health body or a user.
import type { Config } from "../config.ts";

/** The API key, the platforms' tokens and signing secret, and the store URL's password. */
export function configSecrets(config: Config): string[] {
  const secrets = [
    config.aimlApiKey,
    config.discord.token,
    config.slack.botToken,
    config.slack.appToken,
    config.slack.signingSecret,
    storePassword(config.storeUrl),
  ];
  return secrets.filter((secret): secret is string => secret !== undefined && secret !== "");
}

/** The password (or the lone user part, which Redis treats as the password) of a store URL. */
function storePassword(storeUrl: string): string | undefined {
  try {
    const url = new URL(storeUrl);
    return url.password || (url.protocol.startsWith("redis") ? url.username : "") || undefined;
  } catch {
    return undefined;
  }
}
