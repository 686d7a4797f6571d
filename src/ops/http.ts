// GET /healthz and GET /metrics: routes for Bolt's HTTP server, or a small server of their own.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logger.ts";
import type { Health } from "./health.ts";
import type { ParleyMetrics } from "./metrics.ts";

/** One route, in the shape Bolt's `customRoutes` takes. */
export interface OpsRoute {
  path: string;
  method: string;
  handler: (request: IncomingMessage, response: ServerResponse) => void;
}

/** Where health and metrics are served. */
export const HEALTH_PATH = "/healthz";
export const METRICS_PATH = "/metrics";

/** The two routes; a failure inside one answers 500 and is logged. */
export function createOpsRoutes(deps: {
  health: Health;
  metrics: ParleyMetrics;
  logger: Logger;
}): OpsRoute[] {
  const guarded =
    (what: string, answer: (response: ServerResponse) => Promise<void>) =>
    (_request: IncomingMessage, response: ServerResponse): void => {
      answer(response).catch((error: unknown) => {
        deps.logger.error({ err: error }, `${what} failed`);
        if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
        response.end(`${what} failed\n`);
      });
    };
  return [
    {
      path: HEALTH_PATH,
      method: "GET",
      handler: guarded("health check", async (response) => {
        const report = await deps.health.check();
        response.writeHead(report.status === "ok" ? 200 : 503, {
          "content-type": "application/json; charset=utf-8",
          "cache-control": "no-store",
        });
        response.end(JSON.stringify(report));
      }),
    },
    {
      path: METRICS_PATH,
      method: "GET",
      handler: guarded("metrics", async (response) => {
        const registry = deps.metrics.registry;
        const body = await registry.metrics();
        response.writeHead(200, { "content-type": registry.contentType });
        response.end(body);
      }),
    },
  ];
}

/** A running health and metrics server. */
export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/** Serves the routes on their own port (METRICS_PORT), for Discord-only and Slack Socket Mode processes. */
export async function startOpsServer(options: {
  port: number;
  host?: string;
  routes: OpsRoute[];
}): Promise<OpsServer> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const route = options.routes.find((candidate) => candidate.path === path);
    if (!route) {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    if (request.method !== route.method && !(route.method === "GET" && request.method === "HEAD")) {
      response.writeHead(405, { allow: route.method, "content-type": "text/plain; charset=utf-8" });
      response.end("method not allowed\n");
      return;
    }
    route.handler(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
