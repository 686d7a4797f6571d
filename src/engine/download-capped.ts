// Downloads a file without ever holding more than a given number of bytes: the cap is enforced as data arrives.

/** Largest file parley downloads from any platform; the engine asks for less per kind of file. */
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

/** Longest a single file download may take before it is abandoned (a slow host must not hold a turn). */
export const DOWNLOAD_TIMEOUT_MS = 30_000;

const MAX_REDIRECTS = 5;

/** Thrown when a file is (or says it is) larger than the bytes allowed for it; the download was aborted. */
export class DownloadTooLargeError extends Error {
  /** The limit the file went over. */
  readonly maxBytes: number;

  constructor(maxBytes: number) {
    super(`file larger than ${maxBytes} bytes: download aborted`);
    this.name = "DownloadTooLargeError";
    this.maxBytes = maxBytes;
  }
}

/** Thrown when a file is not on a host the platform's reader trusts (before or after redirects). */
export class DownloadRefusedError extends Error {
  constructor(host: string) {
    super(`refusing to download from ${host}`);
    this.name = "DownloadRefusedError";
  }
}

/** One capped download. */
export interface CappedDownload {
  url: string;
  /** Stop and throw DownloadTooLargeError once more than this arrives (clamped to MAX_ATTACHMENT_BYTES). */
  maxBytes: number;
  /** Only URLs this accepts are requested, and a redirect elsewhere is not read. */
  isTrustedUrl: (url: string) => boolean;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Looks at the response before its body is read; throwing here abandons the download. */
  inspect?: (response: Response) => void;
}

/**
 * Fetches a file and reads its body as a stream, aborting the request (and so the connection) as soon as more
 * than `maxBytes` arrived. A Content-Length over the cap ends it early; a smaller or missing one is not trusted.
 */
export async function downloadCapped(download: CappedDownload): Promise<Uint8Array> {
  const maxBytes = Math.min(download.maxBytes, MAX_ATTACHMENT_BYTES);
  if (!download.isTrustedUrl(download.url)) throw new DownloadRefusedError(hostOf(download.url));
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error("download timed out")),
    download.timeoutMs ?? DOWNLOAD_TIMEOUT_MS,
  );
  try {
    const response = await fetchFollowingTrustedRedirects(download, controller.signal);
    if (!response.ok) throw new Error(`download failed with HTTP ${response.status}`);
    download.inspect?.(response);
    const declaredBytes = Number(response.headers.get("content-length") ?? Number.NaN);
    if (declaredBytes > maxBytes) throw new DownloadTooLargeError(maxBytes);
    return await readUpTo(response, maxBytes);
  } catch (error) {
    // Whatever went wrong, stop receiving: aborting closes the connection instead of draining the rest.
    controller.abort(error);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Follows redirects by hand so that every hop is checked before anything (a token, say) is sent there. */
async function fetchFollowingTrustedRedirects(
  download: CappedDownload,
  signal: AbortSignal,
): Promise<Response> {
  let url = download.url;
  for (let hop = 0; ; hop += 1) {
    const response = await (download.fetch ?? fetch)(url, {
      ...(download.headers ? { headers: download.headers } : {}),
      redirect: "manual",
      signal,
    });
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || location === null) return response;
    await response.body?.cancel().catch(() => undefined);
    if (hop >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
    url = new URL(location, url).href;
    if (!download.isTrustedUrl(url)) throw new DownloadRefusedError(hostOf(url));
  }
}

/** Reads a body chunk by chunk, never keeping more than `maxBytes` (plus the chunk that went over). */
async function readUpTo(response: Response, maxBytes: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let receivedBytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    receivedBytes += value.byteLength;
    if (receivedBytes > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new DownloadTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(receivedBytes);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "an invalid URL";
  }
}
