// A fake AI/ML API on 127.0.0.1 for tests: lists models, answers chat completions from a script, records requests.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { PROVIDER_ERROR_MESSAGES, providerErrorBody } from "./fake-aimlapi-errors.ts";
import {
  copyDefaultFakeModels,
  type FakeModel,
  isListedModel,
  modelsListBody,
} from "./fake-aimlapi-models.ts";
import {
  completionBody,
  completionHeaders,
  type FakeChatBody,
  planCompletion,
  type RecordedChatRequest,
  type RecordedRequest,
  type ReplyScript,
  type ScriptedReply,
} from "./fake-aimlapi-replies.ts";
import { writeStreamedCompletion } from "./fake-aimlapi-stream.ts";
import { specModelIds, validateProviderRequest } from "./provider-specs.ts";

export { PROVIDER_ERROR_MESSAGES, providerErrorBody, scriptedError } from "./fake-aimlapi-errors.ts";
export { copyDefaultFakeModels, DEFAULT_FAKE_MODELS, type FakeModel } from "./fake-aimlapi-models.ts";
export {
  DEFAULT_USD_SPENT,
  type FakeChatBody,
  type FakeChatMessage,
  type RecordedChatRequest,
  type RecordedRequest,
  type ReplyScript,
  type ScriptedAnnotation,
  type ScriptedError,
  type ScriptedReply,
} from "./fake-aimlapi-replies.ts";

/** Options for startFakeAimlApi. */
export interface FakeAimlApiOptions {
  /** Catalogue served on GET /v1/models; default a copy of DEFAULT_FAKE_MODELS. */
  models?: FakeModel[];
  /** Answer chat requests for models missing from the catalogue instead of the provider's 404; default false. */
  acceptAnyModel?: boolean;
  /** Answer 400 to a chat request its model's spec rejects (extra keys included); default true. */
  checkRequestsAgainstSpecs?: boolean;
  /** How to answer a chat request when no reply is queued; default an echo. */
  defaultReply?: ReplyScript;
}

/** A running fake; every field is live, so a test may change `models` or `modelsStatus` between requests. */
export interface FakeAimlApi {
  /** Base URL for the openai SDK, e.g. "http://127.0.0.1:43210/v1". */
  url: string;
  /** Every request received (GETs too), in arrival order. */
  requests: RecordedRequest[];
  /** Bodies of the POST /v1/chat/completions requests, in arrival order. */
  chatRequests(): FakeChatBody[];
  /** The catalogue GET /v1/models lists (and chat requests are checked against). */
  models: FakeModel[];
  /** Status GET /v1/models answers with; anything but 200 sends the provider's error body. */
  modelsStatus: number;
  /** Each chat request its model's spec rejected: "<model>: <problems>". Tests expect none. */
  specViolations: string[];
  /** Queues replies for the next chat requests, first in first out; with none queued the fake echoes. */
  enqueue(...replies: ReplyScript[]): void;
  /** How many queued replies are still unused. */
  pendingReplyCount(): number;
  /** Forgets requests and queued replies, restores the initial catalogue and modelsStatus 200. */
  reset(): void;
  /** Stops the server and drops open connections (streams included). */
  close(): Promise<void>;
}

const CHAT_PATH = "/v1/chat/completions";
const MODELS_PATH = "/v1/models";

/** Reads a request's body as text. */
async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses JSON, handing back the raw text when it is not JSON. */
function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** True when a body has at least the shape the fake needs to answer it. */
function isChatBody(body: unknown): body is FakeChatBody {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return false;
  return (
    "model" in body && typeof body.model === "string" && "messages" in body && Array.isArray(body.messages)
  );
}

/** Sends a JSON body with a status and extra headers. */
function sendJson(
  response: ServerResponse,
  status: number,
  body: object,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  response.end(JSON.stringify(body));
}

/** Sends the provider's error body. */
function sendProviderError(
  response: ServerResponse,
  status: number,
  message: string,
  path: string,
  headers: Record<string, string> = {},
): void {
  const body = providerErrorBody(status, message, path);
  // The gateway echoes the body's requestId in x-request-id, which the SDK keeps as error.requestID.
  sendJson(response, status, body, { "x-request-id": body.requestId, ...headers });
}

/** Starts the fake on 127.0.0.1 with a free port. */
export async function startFakeAimlApi(options: FakeAimlApiOptions = {}): Promise<FakeAimlApi> {
  const initialModels = structuredClone(options.models ?? copyDefaultFakeModels());
  const replyQueue: ReplyScript[] = [];
  const closing = new AbortController();
  // Responses the fake drops on purpose (scripted cuts), so their close is not blamed on the client.
  const cutOnPurpose = new WeakSet<ServerResponse>();

  const answerChat = async (request: RecordedRequest, response: ServerResponse): Promise<void> => {
    if (!isChatBody(request.body)) {
      const message =
        typeof request.body === "object"
          ? 'Body validation error: "model" (string) and "messages" (array) are required'
          : "Body validation error: expected a JSON object";
      sendProviderError(response, 400, message, request.path);
      return;
    }
    const chatRequest: RecordedChatRequest = { ...request, body: request.body };
    if (options.acceptAnyModel !== true && !isListedModel(handle.models, request.body.model)) {
      sendProviderError(
        response,
        404,
        `Model "${request.body.model}" not found or not available`,
        request.path,
      );
      return;
    }
    if (options.checkRequestsAgainstSpecs !== false && specModelIds().includes(request.body.model)) {
      const check = validateProviderRequest(request.body);
      if (!check.ok) {
        handle.specViolations.push(`${request.body.model}: ${check.errors.join("; ")}`);
        sendProviderError(response, 400, `Body validation error: ${check.errors.join("; ")}`, request.path);
        return;
      }
    }
    const script = replyQueue.shift() ?? options.defaultReply;
    const reply: ScriptedReply = typeof script === "function" ? await script(chatRequest) : (script ?? {});

    if (reply.delayMs !== undefined && reply.delayMs > 0) {
      try {
        await sleep(reply.delayMs, undefined, { signal: closing.signal });
      } catch {
        return;
      }
    }
    if (response.destroyed) return;
    if (reply.error !== undefined) {
      sendProviderError(response, reply.error.status, reply.error.message, request.path, reply.error.headers);
      return;
    }
    const plan = planCompletion(request.body, reply);
    if (reply.cutAfterChars !== undefined) cutOnPurpose.add(response);
    if (request.body.stream === true) {
      const includeUsage = request.body.stream_options?.include_usage === true;
      await writeStreamedCompletion(response, plan, reply, includeUsage, closing.signal);
      return;
    }
    if (reply.cutAfterChars !== undefined) {
      response.destroy();
      return;
    }
    sendJson(response, 200, completionBody(plan, reply), completionHeaders(plan, true));
  };

  const handleRequest = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(incoming.url ?? "/", "http://127.0.0.1");
    const recorded: RecordedRequest = {
      method: incoming.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: incoming.headers,
      body: parseJson(await readBody(incoming)),
      receivedAt: new Date(),
      closedByClient: false,
    };
    handle.requests.push(recorded);
    response.on("close", () => {
      // Only a hang-up by the client counts: the fake's own cuts and close() end responses on purpose.
      const endedByFake = closing.signal.aborted || cutOnPurpose.has(response);
      if (!response.writableFinished && !endedByFake) recorded.closedByClient = true;
    });

    if (recorded.method === "GET" && recorded.path === MODELS_PATH) {
      if (handle.modelsStatus !== 200) {
        const message =
          PROVIDER_ERROR_MESSAGES[handle.modelsStatus] ?? `Request failed with status ${handle.modelsStatus}`;
        sendProviderError(response, handle.modelsStatus, message, recorded.path);
        return;
      }
      sendJson(response, 200, modelsListBody(handle.models, recorded.query));
      return;
    }
    if (recorded.method === "POST" && recorded.path === CHAT_PATH) {
      await answerChat(recorded, response);
      return;
    }
    sendProviderError(response, 404, `Cannot ${recorded.method} ${recorded.path}`, recorded.path);
  };

  const server = createServer((incoming, response) => {
    handleRequest(incoming, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      sendProviderError(response, 500, `Fake AI/ML API failed: ${message}`, incoming.url ?? "/");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const handle: FakeAimlApi = {
    url: `http://127.0.0.1:${port}/v1`,
    requests: [],
    chatRequests: () =>
      handle.requests
        .filter((request) => request.method === "POST" && request.path === CHAT_PATH)
        .map((request) => request.body)
        .filter(isChatBody),
    models: structuredClone(initialModels),
    modelsStatus: 200,
    specViolations: [],
    enqueue: (...replies) => {
      replyQueue.push(...replies);
    },
    pendingReplyCount: () => replyQueue.length,
    reset: () => {
      handle.requests.length = 0;
      replyQueue.length = 0;
      handle.models.splice(0, handle.models.length, ...structuredClone(initialModels));
      handle.modelsStatus = 200;
      handle.specViolations.length = 0;
    },
    close: async () => {
      closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return handle;
}
