// What the fake AI/ML API answers: scripted-reply types and the provider-shaped bodies built from them.
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** One chat message as a client sent it (loosely typed: the fake records what arrived, valid or not). */
export interface FakeChatMessage {
  role: string;
  content?: unknown;
  [key: string]: unknown;
}

/** A POST /v1/chat/completions body as a client sent it. */
export interface FakeChatBody {
  model: string;
  messages: FakeChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [key: string]: unknown;
}

/** One request the fake received, in arrival order. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. "/v1/chat/completions". */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; undefined when there was none; the raw text when it was not JSON. */
  body: unknown;
  receivedAt: Date;
  /** Set when the client hung up before the fake finished answering (e.g. an aborted stream). */
  closedByClient: boolean;
}

/** A recorded chat-completions request whose body is an object with a model. */
export interface RecordedChatRequest extends RecordedRequest {
  body: FakeChatBody;
}

/** An error the fake answers with, in the provider's body shape `{message, statusCode, requestId, path, timestamp}`. */
export interface ScriptedError {
  status: number;
  message: string;
  /** Extra response headers, e.g. `{ "retry-after": "0" }` to make the SDK retry at once. */
  headers?: Record<string, string>;
}

/** How the fake answers one chat request; every field is optional. */
export interface ScriptedReply {
  /** Answer text; default `Echo: <text of the last user message>`. */
  text?: string;
  /** Characters per streamed content chunk; default 8. */
  chunkSize?: number;
  /** Wait before sending anything at all (response headers included). */
  delayMs?: number;
  /** Wait between the role chunk and the first content chunk (streamed only). */
  firstChunkDelayMs?: number;
  /** Wait between content chunks (streamed only). */
  chunkDelayMs?: number;
  /** OpenAI-style url_citation annotations; sent on non-streamed messages only, as the provider does. */
  annotations?: ScriptedAnnotation[];
  /** Perplexity-style top-level citation URLs (on the body, or on every streamed chunk). */
  citations?: string[];
  /** Perplexity-style top-level search results (on the body, or on every streamed chunk). */
  searchResults?: { title: string; url: string; date?: string }[];
  /** Answer with this error instead of a completion. */
  error?: ScriptedError;
  /** Streamed: send this many characters, then destroy the socket (no finish chunk, no [DONE]). Non-streamed: destroy the socket before answering. */
  cutAfterChars?: number;
  /** Streamed: end cleanly with [DONE] but never send a finish_reason. */
  endWithoutFinish?: boolean;
  /** Token counts; default estimated from text lengths (4 characters a token). */
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Reported in meta.usage.usd_spent (and credits at the provider's $1 = 2,000,000 credits); default DEFAULT_USD_SPENT. */
  usdSpent?: number;
  /** Response `model` field; default a dated variant of the requested id, as the provider does. */
  model?: string;
  /** Default "stop". */
  finishReason?: string;
  /** Streamed: called as the first content chunk is written (the bench times the first token by it). */
  onFirstContent?: () => void;
  /** Streamed: called once the whole answer and [DONE] are written. */
  onStreamEnd?: () => void;
}

/** An OpenAI url_citation; indexes default to where the url sits in the text (or the whole text). */
export interface ScriptedAnnotation {
  url: string;
  title: string;
  startIndex?: number;
  endIndex?: number;
}

/** A scripted reply, or a function that picks one from the request it answers. */
export type ReplyScript =
  | ScriptedReply
  | ((request: RecordedChatRequest) => ScriptedReply | Promise<ScriptedReply>);

/** Cost reported when a reply does not script one. */
export const DEFAULT_USD_SPENT = 0.000042;

/** The provider's conversion: $1 = 2,000,000 credits. */
const CREDITS_PER_USD = 2_000_000;

/** Everything needed to answer one chat request, computed once from the request and its reply. */
export interface CompletionPlan {
  completionId: string;
  inferenceId: string;
  createdSeconds: number;
  model: string;
  text: string;
  finishReason: string;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  meta: { usage: { credits_used: number; usd_spent: number } };
  perplexityFields: {
    citations?: string[];
    search_results?: { title: string; url: string; date?: string }[];
  };
}

/** Plain text of one message's content: a string as is, an array's text parts joined. */
export function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: unknown) =>
      typeof part === "object" && part !== null && "text" in part && typeof part.text === "string"
        ? part.text
        : "",
    )
    .filter((text) => text !== "")
    .join(" ");
}

/** The text of the last user message, or "" when there is none. */
export function lastUserText(body: FakeChatBody): string {
  const lastUser = [...body.messages].reverse().find((message) => message.role === "user");
  return lastUser === undefined ? "" : messageText(lastUser.content);
}

/** The provider answers with dated model names ("gpt-4o-mini" → "gpt-4o-mini-2024-07-18"-like): mimic that. */
export function datedModelName(requestedModel: string): string {
  const withoutVendor = requestedModel.includes("/")
    ? requestedModel.slice(requestedModel.indexOf("/") + 1)
    : requestedModel;
  return /\d{4}-\d{2}-\d{2}$/.test(withoutVendor) ? withoutVendor : `${withoutVendor}-2025-01-01`;
}

/** Roughly 4 characters a token, at least 1. */
function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** Works out ids, text, usage and cost for one answer. */
export function planCompletion(body: FakeChatBody, reply: ScriptedReply): CompletionPlan {
  const text = reply.text ?? `Echo: ${lastUserText(body)}`;
  const promptText = body.messages.map((message) => messageText(message.content)).join("\n");
  const promptTokens = reply.usage?.prompt_tokens ?? estimateTokens(promptText);
  const completionTokens = reply.usage?.completion_tokens ?? estimateTokens(text);
  const usdSpent = reply.usdSpent ?? DEFAULT_USD_SPENT;
  const perplexityFields: CompletionPlan["perplexityFields"] = {};
  if (reply.citations !== undefined) perplexityFields.citations = reply.citations;
  if (reply.searchResults !== undefined) perplexityFields.search_results = reply.searchResults;
  return {
    completionId: `chatcmpl-${randomUUID().replaceAll("-", "").slice(0, 24)}`,
    inferenceId: randomUUID(),
    createdSeconds: Math.floor(Date.now() / 1000),
    model: reply.model ?? datedModelName(body.model),
    text,
    finishReason: reply.finishReason ?? "stop",
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
    meta: { usage: { credits_used: Math.round(usdSpent * CREDITS_PER_USD), usd_spent: usdSpent } },
    perplexityFields,
  };
}

/** OpenAI-shaped url_citation annotations for a full message. */
function annotationsFor(text: string, annotations: ScriptedAnnotation[]): object[] {
  return annotations.map((annotation) => {
    const urlIndex = text.indexOf(annotation.url);
    const startIndex = annotation.startIndex ?? Math.max(urlIndex, 0);
    const endIndex = annotation.endIndex ?? (urlIndex >= 0 ? urlIndex + annotation.url.length : text.length);
    return {
      type: "url_citation",
      url_citation: {
        url: annotation.url,
        title: annotation.title,
        start_index: startIndex,
        end_index: endIndex,
      },
    };
  });
}

/** The non-streamed chat.completion body. */
export function completionBody(plan: CompletionPlan, reply: ScriptedReply): object {
  return {
    id: plan.completionId,
    object: "chat.completion",
    created: plan.createdSeconds,
    model: plan.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: plan.text,
          refusal: null,
          annotations: annotationsFor(plan.text, reply.annotations ?? []),
        },
        logprobs: null,
        finish_reason: plan.finishReason,
      },
    ],
    usage: plan.usage,
    meta: plan.meta,
    ...plan.perplexityFields,
  };
}

/** Response headers the provider adds to a completion (cost headers only where the cost is known up front). */
export function completionHeaders(plan: CompletionPlan, withCost: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    "x-inference-id": plan.inferenceId,
    "x-request-id": randomUUID(),
  };
  if (withCost) {
    headers["x-aimlapi-usd-spent"] = String(plan.meta.usage.usd_spent);
    headers["x-aimlapi-credits-used"] = String(plan.meta.usage.credits_used);
  }
  return headers;
}
