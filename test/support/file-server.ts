// A loopback file host for download tests: honest files, endless bodies that lie about their size, redirects.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** How the server answers one path. */
export type FileRoute =
  | { kind: "file"; contentType: string; body: Uint8Array }
  /** Streams `totalBytes` in chunks, with no Content-Length unless `declaredBytes` is given. */
  | { kind: "stream"; contentType: string; totalBytes: number; declaredBytes?: number }
  | { kind: "redirect"; location: string };

/** What the server saw of one request. */
export interface ServedRequest {
  path: string;
  authorization?: string;
  bytesWritten: number;
  /** True when the client closed the connection before the whole body was sent. */
  closedEarly: boolean;
  /** True once the response ended one way or the other. */
  settled: boolean;
}

/** A running file server. */
export interface FileServer {
  /** Base URL, e.g. http://127.0.0.1:1234 */
  url: string;
  requests: ServedRequest[];
  close(): Promise<void>;
}

const CHUNK_BYTES = 64 * 1024;

/** Starts a file server on a free 127.0.0.1 port. */
export async function startFileServer(routes: Record<string, FileRoute>): Promise<FileServer> {
  const requests: ServedRequest[] = [];
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const served: ServedRequest = {
      path,
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
      bytesWritten: 0,
      closedEarly: false,
      settled: false,
    };
    requests.push(served);
    response.on("close", () => {
      served.closedEarly = !response.writableFinished;
      served.settled = true;
    });
    const route = routes[path];
    if (!route) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
    } else if (route.kind === "redirect") {
      response.writeHead(302, { location: route.location }).end();
    } else if (route.kind === "file") {
      response.writeHead(200, { "content-type": route.contentType, "content-length": route.body.byteLength });
      served.bytesWritten = route.body.byteLength;
      response.end(Buffer.from(route.body));
    } else {
      response.writeHead(200, {
        "content-type": route.contentType,
        ...(route.declaredBytes === undefined ? {} : { "content-length": route.declaredBytes }),
      });
      void stream(response, route.totalBytes, served);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes `totalBytes` of "x", waiting for the client to take each chunk, until done or the client leaves. */
async function stream(response: ServerResponse, totalBytes: number, served: ServedRequest): Promise<void> {
  const chunk = Buffer.alloc(CHUNK_BYTES, "x");
  while (served.bytesWritten < totalBytes && !response.destroyed) {
    const size = Math.min(CHUNK_BYTES, totalBytes - served.bytesWritten);
    served.bytesWritten += size;
    const flushed = response.write(size === CHUNK_BYTES ? chunk : chunk.subarray(0, size));
    if (!flushed) {
      await new Promise<void>((resolve) => {
        const done = () => {
          response.off("drain", done);
          response.off("close", done);
          resolve();
        };
        response.once("drain", done).once("close", done);
      });
    }
  }
  if (!response.destroyed) response.end();
}

/** Waits until the server has seen the end of every request (the client may close a moment after it threw). */
export async function settled(server: FileServer, timeoutMs = 5000): Promise<ServedRequest[]> {
  const deadline = Date.now() + timeoutMs;
  while (server.requests.some((request) => !request.settled)) {
    if (Date.now() > deadline) throw new Error("a file request never ended");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return server.requests;
}
