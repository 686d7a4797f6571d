// Downloads a message attachment from Discord's CDN for the engine (signed URLs: no bot token is sent).
import type { AttachmentReader } from "../../src/types.ts";

/** A reader that fetches the attachment's CDN URL and hands back its bytes. */
export function createAttachmentReader(fetchImplementation: typeof fetch = fetch): AttachmentReader {
  return async (attachment) => {
    const response = await fetchImplementation(attachment.url);
    if (!response.ok) throw new Error(`Downloading ${attachment.name} failed with HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
}
