// The values in a Config that must never reach a log line, a health body or a user.
import type { Config } from "../config.ts";

/** The API key, the platforms' tokens and signing secret, and the password of every configured URL. */
export function configSecrets(config: Config): string[] {
  const secrets = [
    config.aimlApiKey,
    config.discord.token,
    config.slack.botToken,
    config.slack.appToken,
    config.slack.signingSecret,
    urlPassword(config.storeUrl),
    // A proxy in front of the provider or a platform may take credentials in its URL too.
    urlPassword(config.aimlBaseUrl),
    urlPassword(config.discord.apiUrl),
    urlPassword(config.slack.apiUrl),
  ];
  return secrets.filter((secret): secret is string => secret !== undefined && secret !== "");
}

/** The password (or the lone user part, which Redis treats as the password) of a URL. */
function urlPassword(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.password || (url.protocol.startsWith("redis") ? url.username : "") || undefined;
  } catch {
    return undefined;
  }
}
