// The fake Discord's HTTP front: attachment downloads, /api/v10 routing, body checks and the bot token check.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { snowflake } from "./fake-discord-payloads.ts";
import { answerRest, type FakeDiscordWorld, type FakeResponse } from "./fake-discord-rest.ts";
import type { DiscordSpec } from "./fake-discord-spec.ts";
import { createFakeBuckets, type FakeRateLimits } from "./fake-discord-state.ts";

/** One REST request the bot made. */
export interface FakeRequest {
  method: string;
  /** Path after /api/v10, tokens included (tests may look for them). */
  path: string;
  /** The spec's route template, when Discord has the route. */
  template?: string;
  body?: unknown;
  atMs: number;
}

/** A file users attached, served at /attachments/{id}/{name} like Discord's CDN. */
export interface FakeFile {
  contentType: string;
  data: Uint8Array;
}

/** Answers every HTTP request to the fake: validates, records and routes it. */
export function serveFakeDiscordHttp(
  server: Server,
  context: {
    world: FakeDiscordWorld;
    spec: DiscordSpec;
    baseUrl: string;
    requests: FakeRequest[];
    attachments: Map<string, FakeFile>;
    /** Message budgets (default: about Discord's own, 5 per 5 s per channel and per interaction). */
    rateLimits?: FakeRateLimits;
    /** Called with each routed request and the status it is answered with, just before the answer is sent. */
    onRequest?: (request: FakeRequest, status: number) => void;
  },
): void {
  const { world, spec, baseUrl, requests, attachments } = context;
  const buckets = createFakeBuckets(context.rateLimits);
  const token = world.token;
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    void serve(request, response).catch((error: unknown) => {
      world.violations.push(`fake discord crashed: ${String(error)}`);
      send(response, { status: 500, body: { message: "fake crashed" } });
    });
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", baseUrl);
    const attachment = /^\/attachments\/(\d+)\//.exec(url.pathname);
    if (attachment?.[1]) {
      const file = attachments.get(attachment[1]);
      response.writeHead(file ? 200 : 404, { "content-type": file?.contentType ?? "text/plain" });
      response.end(file ? Buffer.from(file.data) : "");
      return;
    }
    const method = request.method ?? "GET";
    const text = await readBody(request);
    if (!url.pathname.startsWith("/api/v10/")) {
      world.violations.push(`${method} ${url.pathname}: not under /api/v10`);
      send(response, { status: 404, body: { code: 0, message: "404: Not Found" } });
      return;
    }
    const path = url.pathname.slice("/api/v10".length);
    let body: unknown;
    if (text !== "") {
      if (!String(request.headers["content-type"]).startsWith("application/json")) {
        world.violations.push(`${method} ${path}: body is not JSON (${request.headers["content-type"]})`);
      }
      body = JSON.parse(text);
    }
    const route = spec.match(method, path);
    const recorded: FakeRequest = {
      method,
      path,
      ...(route ? { template: route.template } : {}),
      ...(body === undefined ? {} : { body }),
      atMs: Date.now(),
    };
    requests.push(recorded);
    const answerWith = (answer: FakeResponse): void => {
      context.onRequest?.(recorded, answer.status);
      send(response, answer);
    };
    if (!route) {
      world.violations.push(`${method} ${path}: no such route in Discord's API`);
      answerWith({ status: 404, body: { code: 0, message: "404: Not Found" } });
      return;
    }
    world.violations.push(...spec.check(method, path, body));
    const needsBotToken =
      !route.template.startsWith("/interactions/") && !route.template.startsWith("/webhooks/");
    if (needsBotToken && request.headers.authorization !== `Bot ${token}`) {
      world.violations.push(`${method} ${route.template}: missing or wrong bot token`);
      answerWith({ status: 401, body: { code: 0, message: "401: Unauthorized" } });
      return;
    }
    const injected = world.injectedFailures.findIndex(
      (failure) => failure.route === `${method} ${route.template}`,
    );
    if (injected >= 0) {
      const [failure] = world.injectedFailures.splice(injected, 1);
      answerWith(failure?.response ?? { status: 500 });
      return;
    }
    const routeKey = `${method} ${route.template}`;
    const verdict = buckets.take(routeKey, route.parameters, Date.now());
    if (verdict?.retryAfterMs !== undefined) {
      const retryAfterSeconds = verdict.retryAfterMs / 1000;
      world.rateLimited.push(routeKey);
      world.violations.push(
        `${routeKey}: over the bucket's budget (429, retry after ${verdict.retryAfterMs} ms)`,
      );
      answerWith({
        status: 429,
        body: { message: "You are being rate limited.", retry_after: retryAfterSeconds, global: false },
        headers: {
          ...verdict.headers,
          "retry-after": String(Math.ceil(retryAfterSeconds)),
          "x-ratelimit-scope": "user",
        },
      });
      return;
    }
    const answer = answerRest(world, method, route, body, url.searchParams);
    answerWith(verdict ? { ...answer, headers: { ...verdict.headers, ...answer.headers } } : answer);
  }
}

/** Serves a user's file like Discord's CDN and describes it as a message attachment. */
export function hostAttachment(
  attachments: Map<string, FakeFile>,
  baseUrl: string,
  file: { filename: string; contentType: string; data: string | Uint8Array },
): { id: string; filename: string; url: string; content_type: string; size: number } {
  const id = snowflake();
  const data = typeof file.data === "string" ? new TextEncoder().encode(file.data) : file.data;
  attachments.set(id, { contentType: file.contentType, data });
  return {
    id,
    filename: file.filename,
    url: `${baseUrl}/attachments/${id}/${file.filename}`,
    content_type: file.contentType,
    size: data.byteLength,
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

/** Writes a response; a 204 carries no content type, or @discordjs/rest tries to parse the empty body. */
function send(response: ServerResponse, answer: FakeResponse): void {
  if (answer.status === 204) {
    response.writeHead(204, answer.headers ?? {});
    response.end();
    return;
  }
  response.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
  response.end(JSON.stringify(answer.body ?? {}));
}
