// Streams one fake chat completion as server-sent events, the way the AI/ML API does (and fails to).
import type { ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { type CompletionPlan, completionHeaders, type ScriptedReply } from "./fake-aimlapi-replies.ts";

/** Characters per content chunk when a reply does not say. */
const DEFAULT_CHUNK_SIZE_CHARS = 8;
/** Wait before a scripted cut, so the text already sent reaches the client as it would in a real outage. */
const CUT_GRACE_MS = 30;

/** Waits, unless the server is closing; false when it was cut short. */
async function pause(durationMs: number | undefined, signal: AbortSignal): Promise<boolean> {
  if (durationMs === undefined || durationMs <= 0) return !signal.aborted;
  try {
    await sleep(durationMs, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** True while the client is still there to read what we write. */
function writable(response: ServerResponse): boolean {
  return !response.destroyed && !response.writableEnded;
}

/** Splits text into chunks of at most `size` characters (by code point, so emoji stay whole). */
function splitText(text: string, size: number): string[] {
  const characters = Array.from(text);
  const pieces: string[] = [];
  for (let start = 0; start < characters.length; start += size) {
    pieces.push(characters.slice(start, start + size).join(""));
  }
  return pieces;
}

/** Sends the SSE answer: role chunk, content chunks, finish chunk, usage chunk (when asked), [DONE]. */
export async function writeStreamedCompletion(
  response: ServerResponse,
  plan: CompletionPlan,
  reply: ScriptedReply,
  includeUsage: boolean,
  signal: AbortSignal,
): Promise<void> {
  response.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    ...completionHeaders(plan, false),
  });
  response.flushHeaders();

  const send = (choices: object[], extra: object = {}): void => {
    if (!writable(response)) return;
    const chunk = {
      id: plan.completionId,
      object: "chat.completion.chunk",
      created: plan.createdSeconds,
      model: plan.model,
      choices,
      ...plan.perplexityFields,
      ...extra,
    };
    response.write(`data: ${JSON.stringify(chunk)}\n\n`);
  };

  send([{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }]);
  if (!(await pause(reply.firstChunkDelayMs, signal))) return;

  // A cut stream sends only the first `cutAfterChars` characters, then the connection drops mid-answer.
  const sentText =
    reply.cutAfterChars === undefined
      ? plan.text
      : Array.from(plan.text).slice(0, reply.cutAfterChars).join("");
  const pieces = splitText(sentText, Math.max(1, reply.chunkSize ?? DEFAULT_CHUNK_SIZE_CHARS));
  for (const [index, piece] of pieces.entries()) {
    if (index > 0 && !(await pause(reply.chunkDelayMs, signal))) return;
    if (!writable(response)) return;
    send([{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }]);
    if (index === 0) reply.onFirstContent?.();
  }

  if (reply.cutAfterChars !== undefined) {
    // Let the client read what was sent first: a reader's queued chunks are discarded when the body errors.
    if (await pause(reply.chunkDelayMs ?? CUT_GRACE_MS, signal)) response.destroy();
    return;
  }
  if (reply.endWithoutFinish !== true) {
    send([{ index: 0, delta: {}, logprobs: null, finish_reason: plan.finishReason }]);
  }
  if (includeUsage) {
    send([], { usage: plan.usage, meta: plan.meta });
  }
  if (!writable(response)) return;
  response.end("data: [DONE]\n\n");
  reply.onStreamEnd?.();
}
