// Downloads a message attachment from Discord's CDN for the engine (signed URLs: no bot token is sent).
import { downloadCapped } from "../../src/engine/download-capped.ts";
import type { AttachmentReader } from "../../src/types.ts";

/** The hosts Discord serves attachments from (`url` and `proxy_url` of a message attachment). */
const DISCORD_CDN_HOSTS = new Set(["cdn.discordapp.com", "media.discordapp.net"]);

/** What the attachment reader needs. */
export interface DiscordAttachmentReaderOptions {
  /** DISCORD_API_URL: its host is trusted too (a proxy in front of Discord, or a fake in tests). */
  apiUrl: string;
  fetch?: typeof fetch;
}

/** True for an https URL on Discord's CDN, or any URL on the configured API host. */
export function isDiscordFileUrl(url: string, apiUrl: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.hostname === new URL(apiUrl).hostname) return true;
  return parsed.protocol === "https:" && DISCORD_CDN_HOSTS.has(parsed.hostname);
}

/** A reader that fetches the attachment from Discord's CDN only, stopping once it passes the engine's limit. */
export function createAttachmentReader(options: DiscordAttachmentReaderOptions): AttachmentReader {
  return (attachment, maxBytes) =>
    downloadCapped({
      url: attachment.url,
      maxBytes,
      isTrustedUrl: (url) => isDiscordFileUrl(url, options.apiUrl),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
}
