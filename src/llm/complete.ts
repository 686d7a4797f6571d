// Runs one chat completion through the openai SDK and yields text deltas, then the finished answer.
import type OpenAI from "openai";
import type { ChatCompletionChunk, ChatCompletionCreateParams } from "openai/resources/chat/completions";
import { ParleyError } from "../errors.ts";
import type { Citation, Usage } from "../types.ts";
import { CitationCollector } from "./citations.ts";
import { toProviderError } from "./provider-errors.ts";

/** What a completion yields: the model asked, then the one the provider names if another, text, then one `final`. */
export type CompletionEvent =
  | { type: "model"; model: string }
  | { type: "text"; delta: string }
  | { type: "final"; text: string; citations: Citation[]; model: string; usage?: Usage };

/** Knobs for one completion. */
export interface CompletionOptions {
  /** Strings scrubbed from provider messages before users see them (the API key). */
  secrets: readonly string[];
  /** A stream that sends nothing for this long counts as broken. */
  idleTimeoutMs: number;
  /** Aborts the request (the turn's overall deadline). */
  signal?: AbortSignal;
  /** The sentence telling the user what to do about an unavailable model, where they are. */
  modelRemedy: string;
}

/** Streams (or, for `stream: false`, fetches) one answer; throws ParleyError on failure. */
export async function* runCompletion(
  client: OpenAI,
  request: ChatCompletionCreateParams,
  options: CompletionOptions,
): AsyncGenerator<CompletionEvent> {
  const context = { model: request.model, secrets: options.secrets, modelRemedy: options.modelRemedy };
  yield { type: "model", model: request.model };
  if (!request.stream) {
    const completion = await client.chat.completions
      .create({ ...request, stream: false }, { signal: options.signal })
      .catch((error: unknown) => {
        throw toProviderError(error, context);
      });
    const choice = completion.choices[0];
    const text = choice?.message.content ?? "";
    const citations = new CitationCollector();
    citations.addAnnotations(choice?.message.annotations);
    citations.addTopLevel(completion);
    const answeredBy = completion.model || request.model;
    if (answeredBy !== request.model) yield { type: "model", model: answeredBy };
    if (text) yield { type: "text", delta: text };
    yield {
      type: "final",
      text,
      citations: citations.list(),
      model: answeredBy,
      usage: readUsage(completion.usage, completion),
    };
    return;
  }

  const abort = new AbortController();
  let idleTimer: NodeJS.Timeout | undefined;
  const armIdleTimer = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => abort.abort(), options.idleTimeoutMs);
  };
  let text = "";
  let finished = false;
  let answeredBy = request.model;
  let usage: Usage | undefined;
  const citations = new CitationCollector();
  try {
    armIdleTimer();
    const stream = await client.chat.completions.create(
      { ...request, stream: true },
      { signal: options.signal ? AbortSignal.any([abort.signal, options.signal]) : abort.signal },
    );
    for await (const chunk of stream) {
      armIdleTimer();
      if (chunk.model && chunk.model !== answeredBy) {
        answeredBy = chunk.model;
        yield { type: "model", model: answeredBy };
      }
      citations.addTopLevel(chunk);
      usage = mergeUsage(usage, readUsage(chunk.usage, chunk));
      for (const choice of chunk.choices ?? []) {
        const delta: Partial<ChatCompletionChunk.Choice.Delta> & { annotations?: unknown } =
          choice.delta ?? {};
        citations.addAnnotations(delta.annotations);
        citations.addAnnotations((choice as { message?: { annotations?: unknown } }).message?.annotations);
        if (delta.content) {
          text += delta.content;
          yield { type: "text", delta: delta.content };
        }
        if (choice.finish_reason) finished = true;
      }
    }
  } catch (error) {
    if (abort.signal.aborted) {
      throw new ParleyError("stream_interrupted", "The AI provider stopped sending the answer.", {
        cause: error,
      });
    }
    if (text) {
      throw new ParleyError("stream_interrupted", "The connection to the AI provider broke.", {
        cause: error,
      });
    }
    throw toProviderError(error, context);
  } finally {
    clearTimeout(idleTimer);
  }
  // The SDK's iterator can end quietly when the connection drops: no finish chunk means an unfinished answer.
  if (!finished) {
    throw new ParleyError(
      "stream_interrupted",
      "The connection to the AI provider broke before the answer finished.",
    );
  }
  yield { type: "final", text, citations: citations.list(), model: answeredBy, usage };
}

function readUsage(
  usage: { prompt_tokens?: number; completion_tokens?: number } | null | undefined,
  body: unknown,
): Usage | undefined {
  const cost = readCost(body);
  if (!usage && cost === undefined) return undefined;
  return {
    promptTokens: usage?.prompt_tokens ?? 0,
    completionTokens: usage?.completion_tokens ?? 0,
    ...(cost === undefined ? {} : { costUsd: cost }),
  };
}

/** Usage and cost may arrive on different chunks: keep what each one brings. */
function mergeUsage(earlier: Usage | undefined, later: Usage | undefined): Usage | undefined {
  if (!earlier || !later) return later ?? earlier;
  return {
    promptTokens: later.promptTokens || earlier.promptTokens,
    completionTokens: later.completionTokens || earlier.completionTokens,
    ...((later.costUsd ?? earlier.costUsd) !== undefined
      ? { costUsd: later.costUsd ?? earlier.costUsd }
      : {}),
  };
}

/** The provider reports the real cost in `meta.usage.usd_spent`. */
function readCost(body: unknown): number | undefined {
  const meta = (body as { meta?: { usage?: { usd_spent?: unknown } } } | null)?.meta;
  const spent = meta?.usage?.usd_spent;
  const value = typeof spent === "string" ? Number(spent) : spent;
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
