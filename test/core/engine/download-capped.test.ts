// Capped downloads against a real loopback server: the cap holds whatever the server says, and hosts are checked.
import { afterEach, describe, expect, it } from "vitest";
import {
  DownloadRefusedError,
  DownloadTooLargeError,
  downloadCapped,
  MAX_ATTACHMENT_BYTES,
} from "../../../src/engine/download-capped.ts";
import { type FileServer, settled, startFileServer } from "../../support/file-server.ts";

const servers: FileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const MB = 1024 * 1024;

async function serve(routes: Parameters<typeof startFileServer>[0]): Promise<FileServer> {
  const server = await startFileServer(routes);
  servers.push(server);
  return server;
}

const onHost = (server: FileServer) => (url: string) => new URL(url).host === new URL(server.url).host;

describe("downloadCapped", () => {
  it("returns an honest file, with or without a Content-Length", async () => {
    const server = await serve({
      "/a.txt": { kind: "file", contentType: "text/plain", body: new TextEncoder().encode("hello") },
      "/b.txt": { kind: "stream", contentType: "text/plain", totalBytes: 200_000 },
    });
    const read = (path: string) =>
      downloadCapped({ url: `${server.url}${path}`, maxBytes: MB, isTrustedUrl: onHost(server) });
    expect(new TextDecoder().decode(await read("/a.txt"))).toBe("hello");
    expect((await read("/b.txt")).byteLength).toBe(200_000);
    expect((await settled(server)).map((request) => request.closedEarly)).toEqual([false, false]);
  });

  it("aborts a body with no Content-Length once it passes the cap, closing the connection", async () => {
    const server = await serve({
      "/endless": { kind: "stream", contentType: "image/png", totalBytes: 200 * MB },
    });
    await expect(
      downloadCapped({ url: `${server.url}/endless`, maxBytes: MB, isTrustedUrl: onHost(server) }),
    ).rejects.toBeInstanceOf(DownloadTooLargeError);
    const [request] = await settled(server);
    expect(request?.closedEarly).toBe(true);
    // Only what the socket buffers hold beyond the cap was ever sent, nowhere near the 200 MB on offer.
    expect(request?.bytesWritten).toBeLessThan(20 * MB);
  });

  it("stops at the first byte when the declared length is over the cap", async () => {
    const server = await serve({
      "/big": { kind: "stream", contentType: "image/png", totalBytes: 100 * MB, declaredBytes: 100 * MB },
    });
    await expect(
      downloadCapped({ url: `${server.url}/big`, maxBytes: MB, isTrustedUrl: onHost(server) }),
    ).rejects.toThrow(DownloadTooLargeError);
    const [request] = await settled(server);
    expect(request?.closedEarly).toBe(true);
    expect(request?.bytesWritten).toBeLessThan(20 * MB);
  });

  it("never asks for more than the one cap for every platform, whatever the caller asks", async () => {
    const server = await serve({
      "/huge": { kind: "stream", contentType: "video/mp4", totalBytes: MAX_ATTACHMENT_BYTES + 10 * MB },
    });
    const error = await downloadCapped({
      url: `${server.url}/huge`,
      maxBytes: 10 * MAX_ATTACHMENT_BYTES,
      isTrustedUrl: onHost(server),
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DownloadTooLargeError);
    expect((error as DownloadTooLargeError).maxBytes).toBe(MAX_ATTACHMENT_BYTES);
    expect((await settled(server))[0]?.closedEarly).toBe(true);
  });

  it("refuses an untrusted host without connecting, and a redirect to one without following it", async () => {
    const elsewhere = await serve({
      "/x.png": { kind: "file", contentType: "image/png", body: new Uint8Array(4) },
    });
    const trusted = await serve({ "/moved": { kind: "redirect", location: `${elsewhere.url}/x.png` } });
    await expect(
      downloadCapped({ url: `${elsewhere.url}/x.png`, maxBytes: MB, isTrustedUrl: onHost(trusted) }),
    ).rejects.toBeInstanceOf(DownloadRefusedError);
    await expect(
      downloadCapped({ url: `${trusted.url}/moved`, maxBytes: MB, isTrustedUrl: onHost(trusted) }),
    ).rejects.toBeInstanceOf(DownloadRefusedError);
    expect(trusted.requests.map((request) => request.path)).toEqual(["/moved"]);
    expect(elsewhere.requests).toEqual([]);
  });

  it("follows a redirect within trusted hosts", async () => {
    const server = await serve({
      "/moved": { kind: "redirect", location: "/a.txt" },
      "/a.txt": { kind: "file", contentType: "text/plain", body: new TextEncoder().encode("here") },
    });
    const bytes = await downloadCapped({
      url: `${server.url}/moved`,
      maxBytes: MB,
      isTrustedUrl: onHost(server),
    });
    expect(new TextDecoder().decode(bytes)).toBe("here");
  });

  it("gives up on a host that sends too slowly", async () => {
    const server = await serve({
      "/slow": { kind: "stream", contentType: "text/plain", totalBytes: 10 * MB },
    });
    // The client reads nothing for a while: the server's writes stall, and the timeout ends the download.
    const slowFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      await new Promise((resolve) => setTimeout(resolve, 300));
      return response;
    };
    await expect(
      downloadCapped({
        url: `${server.url}/slow`,
        maxBytes: 20 * MB,
        isTrustedUrl: onHost(server),
        fetch: slowFetch,
        timeoutMs: 100,
      }),
    ).rejects.toThrow(/timed out|abort/i);
    expect((await settled(server))[0]?.closedEarly).toBe(true);
  });
});
