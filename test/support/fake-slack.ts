// A fake Slack on 127.0.0.1 for tests: the Web API methods parley calls, a response_url sink, files and Socket Mode.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createFakeSlackLimiter, type FakeSlackRate, TIER_3_RATE } from "./fake-slack-limits.ts";
import { attachFakeSocketMode, type FakeSocketMode } from "./fake-slack-socket.ts";
import { createFakeStreaming, type FakeStreaming } from "./fake-slack-streams.ts";

export type { FakeSocketMode, SocketAck } from "./fake-slack-socket.ts";

/** The ids the fake workspace uses. */
export const FAKE_TEAM_ID = "T0PARLEY";
export const FAKE_BOT_USER_ID = "UBOTPARLEY";
export const FAKE_BOT_ID = "BBOTPARLEY";
/** Slack truncates message text here; the fake refuses longer text outright. */
export const SLACK_TEXT_HARD_LIMIT = 40_000;

/** Fields that carry JSON inside a form-encoded body. */
const JSON_FIELDS = new Set(["blocks", "attachments", "metadata", "prompts", "chunks"]);

/** One Web API call as the bot made it. */
export interface SlackApiCall {
  method: string;
  params: Record<string, unknown>;
  /** The Authorization header (tests check the token, never print it). */
  authorization: string | undefined;
  contentType: string | undefined;
  atMs: number;
}

/** A message the bot posted, with every text it ever showed. */
export interface FakeSlackMessage {
  channel: string;
  ts: string;
  threadTs: string | undefined;
  text: string;
  /** Texts in order: the posted one, then each update. */
  history: string[];
  deleted: boolean;
  /** The message's blocks, when the bot sent any (an update without blocks keeps them, as Slack does). */
  blocks?: Record<string, unknown>[];
}

/** A body posted to a response_url. */
export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
}

/** A person's message in a channel, for conversations.history and conversations.replies. */
export interface FakeSlackUserMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  user: string;
  text: string;
}

/** How the fake Slack behaves. */
export interface FakeSlackOptions {
  /** chat.update calls per workspace before the fake answers HTTP 429 (default Tier 3: 50 a minute). */
  updateRate?: FakeSlackRate;
  /** Users users.info calls workspace admins (`is_admin`); default none. */
  workspaceAdmins?: string[];
  /** The Socket Mode address apps.connections.open hands out instead of the fake's own (an unreachable one). */
  socketUrl?: string;
  /** Called with each Web API call and the HTTP status it is answered with (the bench timestamps them). */
  onCall?: (call: SlackApiCall, status: number) => void;
}

/** A running fake Slack. */
export interface FakeSlack {
  /** Base URL, e.g. "http://127.0.0.1:41234". */
  url: string;
  /** SLACK_API_URL for the bot: `${url}/api/`. */
  apiUrl: string;
  calls: SlackApiCall[];
  callsTo(method: string): SlackApiCall[];
  /** Calls answered with HTTP 429 because the workspace's budget was spent. */
  rateLimited: SlackApiCall[];
  /** Every message the bot posted, deleted ones included, in order. */
  messages: FakeSlackMessage[];
  /** The visible messages of one thread (root first), or of a channel's top level when threadTs is undefined. */
  thread(channel: string, threadTs: string | undefined): FakeSlackMessage[];
  responses: ResponseUrlPost[];
  /** A fresh response_url pointing at this fake. */
  responseUrl(): string;
  /** Serves bytes at a url_private-like URL and records who fetched it. */
  addFile(name: string, bytes: Uint8Array, mimeType: string): string;
  fileDownloads: { name: string; authorization: string | undefined }[];
  /** People's messages the channel holds (tests add them): history and replies read them with the bot's. */
  userMessages: FakeSlackUserMessage[];
  /** Adds a person's message with a fresh ts (in a thread when threadTs is given); returns it. */
  addUserMessage(input: Omit<FakeSlackUserMessage, "ts">): FakeSlackUserMessage;
  /** Makes the next call of a method answer `{ok:false, error}`. */
  failNext(method: string, error: string): void;
  socket: FakeSocketMode;
  /** Native streaming: the streams by message ts, and the switch that makes Slack refuse to stream. */
  streaming: FakeStreaming;
  /** Polls `probe` until it returns something (not undefined or false); rejects after `timeoutMs`. */
  waitFor<T>(probe: () => T | undefined, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses a Web API body: form-encoded (JSON fields decoded) or JSON. */
function parseParams(text: string, contentType: string | undefined): Record<string, unknown> {
  if (text === "") return {};
  if (contentType?.startsWith("application/json")) return JSON.parse(text) as Record<string, unknown>;
  const params: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    params[name] = JSON_FIELDS.has(name) ? JSON.parse(value) : value;
  }
  return params;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

/** Starts the fake on a free loopback port. */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const calls: SlackApiCall[] = [];
  const rateLimited: SlackApiCall[] = [];
  const updateLimiter = createFakeSlackLimiter(options.updateRate ?? TIER_3_RATE);
  const messages: FakeSlackMessage[] = [];
  const userMessages: FakeSlackUserMessage[] = [];
  const responses: ResponseUrlPost[] = [];
  const files = new Map<string, { bytes: Uint8Array; mimeType: string }>();
  const fileDownloads: FakeSlack["fileDownloads"] = [];
  const failures = new Map<string, string>();
  let tsCounter = 0;
  let responseCounter = 0;
  const nextTs = () => `1700000000.${String(++tsCounter * 100).padStart(6, "0")}`;
  const findMessage = (channel: unknown, ts: unknown) =>
    messages.find((message) => message.channel === channel && message.ts === ts && !message.deleted);
  const streaming = createFakeStreaming({
    post(channel, threadTs, text) {
      const message: FakeSlackMessage = {
        channel,
        ts: nextTs(),
        threadTs,
        text,
        history: [text],
        deleted: false,
      };
      messages.push(message);
      return message;
    },
    find: findMessage,
  });

  function answer(method: string, params: Record<string, unknown>, authorization: string | undefined) {
    const failure = failures.get(method);
    if (failure !== undefined) {
      failures.delete(method);
      return { ok: false, error: failure };
    }
    const token = authorization?.replace(/^Bearer /, "") ?? "";
    if (method === "apps.connections.open") {
      return token.startsWith("xapp-")
        ? { ok: true, url: options.socketUrl ?? fake.socket.url }
        : { ok: false, error: "invalid_auth" };
    }
    if (!token.startsWith("xoxb-")) return { ok: false, error: "not_authed" };
    const text = typeof params.text === "string" ? params.text : "";
    if (text.length > SLACK_TEXT_HARD_LIMIT) return { ok: false, error: "msg_too_long" };
    const streamed = streaming.answer(method, params);
    if (streamed !== undefined) return streamed;
    switch (method) {
      case "conversations.history":
      case "conversations.replies":
        return readHistory(method, params);
      case "auth.test":
        return {
          ok: true,
          url: `${fake.url}/`,
          team: "Fake",
          user: "parley",
          team_id: FAKE_TEAM_ID,
          user_id: FAKE_BOT_USER_ID,
          bot_id: FAKE_BOT_ID,
        };
      case "chat.postMessage": {
        if (typeof params.channel !== "string") return { ok: false, error: "channel_not_found" };
        const blocks = blocksOf(params);
        if (blocks === "invalid") return { ok: false, error: "invalid_blocks" };
        const threadTs = typeof params.thread_ts === "string" ? params.thread_ts : undefined;
        const message = {
          channel: params.channel,
          ts: nextTs(),
          threadTs,
          text,
          history: [text],
          deleted: false,
          ...blocks,
        };
        messages.push(message);
        return { ok: true, channel: message.channel, ts: message.ts, message: { text, ts: message.ts } };
      }
      case "chat.update": {
        const message = findMessage(params.channel, params.ts);
        if (!message) return { ok: false, error: "message_not_found" };
        const blocks = blocksOf(params);
        if (blocks === "invalid") return { ok: false, error: "invalid_blocks" };
        message.text = text;
        message.history.push(text);
        Object.assign(message, blocks);
        return { ok: true, channel: message.channel, ts: message.ts, text };
      }
      case "chat.delete": {
        const message = findMessage(params.channel, params.ts);
        if (!message) return { ok: false, error: "message_not_found" };
        message.deleted = true;
        return { ok: true, channel: message.channel, ts: message.ts };
      }
      case "chat.postEphemeral":
        return { ok: true, message_ts: nextTs() };
      case "users.info": {
        const id = String(params.user);
        return {
          ok: true,
          user: {
            id,
            name: id.toLowerCase(),
            real_name: `Real ${id}`,
            profile: { display_name: `Person ${id}` },
            is_admin: options.workspaceAdmins?.includes(id) === true,
            is_owner: false,
          },
        };
      }
      // As documented: setStatus and setTitle need the thread; suggested prompts may leave it out (a whole DM).
      case "assistant.threads.setStatus":
      case "assistant.threads.setTitle":
        if (typeof params.channel_id !== "string") return { ok: false, error: "channel_not_found" };
        if (typeof params.thread_ts !== "string") return { ok: false, error: "invalid_thread_ts" };
        return { ok: true };
      case "assistant.threads.setSuggestedPrompts": {
        if (typeof params.channel_id !== "string") return { ok: false, error: "channel_not_found" };
        const prompts = params.prompts;
        const valid =
          Array.isArray(prompts) &&
          prompts.length > 0 &&
          prompts.length <= 4 &&
          prompts.every((prompt) => typeof prompt?.title === "string" && typeof prompt?.message === "string");
        return valid ? { ok: true } : { ok: false, error: "invalid_arguments" };
      }
      default:
        return { ok: false, error: "unknown_method" };
    }
  }

  /**
   * conversations.history (top-level messages, newest first) or conversations.replies (a thread, root first), of
   * people and the bot, before `latest` (inclusive or not), at most `limit`.
   */
  function readHistory(method: string, params: Record<string, unknown>) {
    const channel = String(params.channel ?? "");
    const latest = Number(params.latest ?? Number.POSITIVE_INFINITY);
    const inclusive = params.inclusive === true || params.inclusive === "true";
    const limit = Number(params.limit ?? 100);
    const all = [
      ...userMessages.map((message) => ({ ...message, bot_id: undefined as string | undefined })),
      ...messages
        .filter((message) => !message.deleted)
        .map((message) => ({
          channel: message.channel,
          ts: message.ts,
          threadTs: message.threadTs,
          user: FAKE_BOT_USER_ID,
          bot_id: FAKE_BOT_ID as string | undefined,
          text: message.text,
        })),
    ].filter((message) => message.channel === channel);
    const before = (message: { ts: string }) =>
      inclusive ? Number(message.ts) <= latest : Number(message.ts) < latest;
    const shown = (message: (typeof all)[number]) => ({
      type: "message",
      user: message.user,
      ts: message.ts,
      text: message.text,
      ...(message.bot_id ? { bot_id: message.bot_id } : {}),
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    });
    if (method === "conversations.replies") {
      const root = String(params.ts ?? "");
      const thread = all
        .filter((message) => message.ts === root || message.threadTs === root)
        .filter(before)
        .sort((first, second) => Number(first.ts) - Number(second.ts))
        .slice(0, limit);
      return { ok: true, messages: thread.map(shown), has_more: false };
    }
    const top = all
      .filter((message) => message.threadTs === undefined || message.threadTs === message.ts)
      .filter(before)
      .sort((first, second) => Number(second.ts) - Number(first.ts))
      .slice(0, limit);
    return { ok: true, messages: top.map(shown), has_more: false };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://fake").pathname;
    const text = await readBody(request);
    if (request.method === "POST" && path.startsWith("/api/")) {
      const method = path.slice("/api/".length);
      const contentType = request.headers["content-type"];
      const params = parseParams(text, contentType);
      const authorization = request.headers.authorization;
      const call = { method, params, authorization, contentType, atMs: Date.now() };
      calls.push(call);
      // One bot token is one workspace's installation: its budget is the workspace's.
      const retryAfterSeconds =
        method === "chat.update" ? updateLimiter.take(authorization ?? "", call.atMs) : undefined;
      if (retryAfterSeconds !== undefined) {
        rateLimited.push(call);
        options.onCall?.(call, 429);
        response.writeHead(429, {
          "content-type": "application/json",
          "retry-after": String(retryAfterSeconds),
        });
        response.end(JSON.stringify({ ok: false, error: "ratelimited" }));
        return;
      }
      const answered = answer(method, params, authorization);
      options.onCall?.(call, 200);
      sendJson(response, 200, answered);
      return;
    }
    if (request.method === "POST" && path.startsWith("/response/")) {
      responses.push({
        id: path.slice("/response/".length),
        body: JSON.parse(text) as Record<string, unknown>,
      });
      sendJson(response, 200, { ok: true });
      return;
    }
    if (request.method === "GET" && path.startsWith("/files/")) {
      const name = decodeURIComponent(path.slice("/files/".length));
      const authorization = request.headers.authorization;
      fileDownloads.push({ name, authorization });
      const file = files.get(name);
      if (!file || authorization !== `Bearer ${botTokenSeen()}`) {
        response.writeHead(file ? 403 : 404).end();
        return;
      }
      response.writeHead(200, { "content-type": file.mimeType }).end(Buffer.from(file.bytes));
      return;
    }
    response.writeHead(404).end();
  }

  /** The bot token the bot used on auth.test: files are only served to it. */
  const botTokenSeen = () =>
    calls.find((call) => call.method === "auth.test")?.authorization?.replace(/^Bearer /, "");

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) =>
      sendJson(response, 500, { ok: false, error: String(error) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const socket = attachFakeSocketMode(server, url.replace("http:", "ws:"));

  const fake: FakeSlack = {
    url,
    apiUrl: `${url}/api/`,
    calls,
    callsTo: (method) => calls.filter((call) => call.method === method),
    rateLimited,
    messages,
    thread: (channel, threadTs) =>
      messages.filter(
        (message) =>
          message.channel === channel &&
          !message.deleted &&
          (threadTs === undefined
            ? message.threadTs === undefined
            : message.ts === threadTs || message.threadTs === threadTs),
      ),
    responses,
    responseUrl: () => `${url}/response/${++responseCounter}`,
    addFile(name, bytes, mimeType) {
      files.set(name, { bytes, mimeType });
      return `${url}/files/${encodeURIComponent(name)}`;
    },
    fileDownloads,
    userMessages,
    addUserMessage(input) {
      const message = { ...input, ts: nextTs() };
      userMessages.push(message);
      return message;
    },
    failNext: (method, error) => failures.set(method, error),
    socket,
    streaming,
    async waitFor(probe, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = probe();
        if (found !== undefined && found !== false) return found;
        if (Date.now() > deadline) throw new Error("fake Slack: timed out waiting");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      await socket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

/** The blocks a chat.postMessage or chat.update call sets, or "invalid" past Slack's limits. */
function blocksOf(params: Record<string, unknown>): { blocks?: Record<string, unknown>[] } | "invalid" {
  if (!Array.isArray(params.blocks)) return {};
  const blocks = params.blocks as Record<string, unknown>[];
  if (blocks.length > 50) return "invalid";
  for (const block of blocks) {
    const text = (block.text as { text?: string } | undefined)?.text;
    // A section's mrkdwn holds 1 to 3,000 characters.
    if (block.type === "section" && (text === undefined || text.length === 0 || text.length > 3000))
      return "invalid";
  }
  return { blocks };
}
