// Files shared in Slack: parsed into Attachments, and downloaded with the bot token (sent to Slack's hosts only).
import { downloadCapped } from "../../src/engine/download-capped.ts";
import type { Attachment, AttachmentReader } from "../../src/types.ts";
import { type JsonRecord, numberField, recordsField, stringField } from "./json-fields.ts";

/** The Attachments of a message event's `files`; files Slack hides or deleted (no url_private) are left out. */
export function parseSlackFiles(event: JsonRecord): Attachment[] {
  const attachments: Attachment[] = [];
  for (const file of recordsField(event, "files")) {
    const url = stringField(file, "url_private");
    if (url === undefined) continue;
    attachments.push({
      name: stringField(file, "name") ?? stringField(file, "title") ?? stringField(file, "id") ?? "file",
      url,
      mimeType: stringField(file, "mimetype") ?? "application/octet-stream",
      sizeBytes: numberField(file, "size") ?? 0,
    });
  }
  return attachments;
}

/** What the file reader needs. */
export interface SlackFileReaderOptions {
  botToken: string;
  /** The Web API base URL; its host is trusted with the token too (a proxy, or a fake in tests). */
  apiUrl: string;
  fetch?: typeof fetch;
}

/** True when a URL belongs to Slack (or the configured API host), so the bot token may go there. */
export function isTrustedFileHost(url: string, apiUrl: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return host === new URL(apiUrl).hostname || host === "slack.com" || host.endsWith(".slack.com");
}

/** Downloads url_private files with `Authorization: Bearer <bot token>`; refuses any other host. */
export function createSlackFileReader(options: SlackFileReaderOptions): AttachmentReader {
  return (attachment, maxBytes) =>
    downloadCapped({
      url: attachment.url,
      maxBytes,
      isTrustedUrl: (url) => isTrustedFileHost(url, options.apiUrl),
      headers: { Authorization: `Bearer ${options.botToken}` },
      ...(options.fetch ? { fetch: options.fetch } : {}),
      inspect: (response) => {
        const contentType = response.headers.get("content-type") ?? "";
        // Without the files:read scope Slack answers 200 with its sign-in page instead of the file.
        if (contentType.startsWith("text/html") && !attachment.mimeType.startsWith("text/html")) {
          throw new Error("Slack sent a web page instead of the file (is the files:read scope granted?)");
        }
      },
    });
}
