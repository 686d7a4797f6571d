// Proves the fake's streamed answers (and broken streams) reach the real openai SDK the way the provider's do.
import OpenAI from "openai";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeAimlApi, startFakeAimlApi } from "./fake-aimlapi.ts";

/** The provider's extra fields on a chunk, which the SDK passes through untyped. */
type ProviderChunk = ChatCompletionChunk & {
  meta?: { usage?: { credits_used?: number; usd_spent?: number } };
  citations?: string[];
  search_results?: { title: string; url: string; date?: string }[];
};

let fake: FakeAimlApi;
let client: OpenAI;

beforeEach(async () => {
  fake = await startFakeAimlApi();
  client = new OpenAI({ apiKey: "test-key", baseURL: fake.url, maxRetries: 0 });
});

afterEach(async () => {
  await fake.close();
});

/** Starts a streamed completion with usage on. */
function startStream(model: string, options: { signal?: AbortSignal } = {}) {
  return client.chat.completions.create(
    {
      model,
      messages: [{ role: "user", content: "tell me" }],
      max_tokens: 100,
      stream: true,
      stream_options: { include_usage: true },
    },
    options,
  );
}

/** Reads a whole stream into its chunks. */
async function readAll(stream: AsyncIterable<ChatCompletionChunk>): Promise<ProviderChunk[]> {
  const chunks: ProviderChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** The content deltas of some chunks, joined. */
function joinedText(chunks: ChatCompletionChunk[]): string {
  return chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
}

describe("streamed chat completions", () => {
  it("reassembles the text, ends with a finish chunk, then usage and meta.usage on a choices: [] chunk", async () => {
    const text = "Streaming works, one small piece at a time. ✨";
    fake.enqueue({
      text,
      chunkSize: 5,
      usage: { prompt_tokens: 7, completion_tokens: 11 },
      usdSpent: 0.00021,
    });
    const chunks = await readAll(await startStream("openai/gpt-4.1-mini-2025-04-14"));

    expect(joinedText(chunks)).toBe(text);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: "" });
    expect(chunks.filter((chunk) => (chunk.choices[0]?.delta.content ?? "") !== "")).toHaveLength(
      Math.ceil(Array.from(text).length / 5),
    );
    const finishChunk = chunks.at(-2);
    expect(finishChunk?.choices[0]?.finish_reason).toBe("stop");
    const usageChunk = chunks.at(-1);
    expect(usageChunk?.choices).toEqual([]);
    expect(usageChunk?.usage).toEqual({ prompt_tokens: 7, completion_tokens: 11, total_tokens: 18 });
    expect(usageChunk?.meta?.usage?.usd_spent).toBe(0.00021);
    expect(new Set(chunks.map((chunk) => chunk.model))).toEqual(new Set(["gpt-4.1-mini-2025-04-14"]));
  });

  it("sends no usage chunk without stream_options.include_usage", async () => {
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    const chunks = await readAll(stream);
    expect(joinedText(chunks)).toBe("Echo: hi");
    expect(chunks.some((chunk) => chunk.usage != null)).toBe(false);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
  });

  it("carries Perplexity citations and search_results on every chunk", async () => {
    fake.enqueue({
      text: "Sonar found two sources [1][2].",
      citations: ["https://example.com/1", "https://example.com/2"],
      searchResults: [{ title: "One", url: "https://example.com/1" }],
    });
    const chunks = await readAll(await startStream("perplexity/sonar"));
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.citations).toEqual(["https://example.com/1", "https://example.com/2"]);
      expect(chunk.search_results).toEqual([{ title: "One", url: "https://example.com/1" }]);
    }
  });

  it("never streams OpenAI-style annotations, like the provider", async () => {
    fake.enqueue({
      text: "See https://example.com.",
      annotations: [{ url: "https://example.com", title: "Example" }],
    });
    const chunks = await readAll(await startStream("gpt-4o-mini-search-preview"));
    expect(joinedText(chunks)).toBe("See https://example.com.");
    expect(JSON.stringify(chunks)).not.toContain("annotations");
  });

  it("waits firstChunkDelayMs before the first text, then chunkDelayMs between pieces", async () => {
    fake.enqueue({ text: "abcdef", chunkSize: 2, firstChunkDelayMs: 100, chunkDelayMs: 40 });
    const startedAt = performance.now();
    const stream = await startStream("gpt-4o-mini");
    const textArrivalsMs: number[] = [];
    for await (const chunk of stream) {
      if ((chunk.choices[0]?.delta.content ?? "") !== "") textArrivalsMs.push(performance.now() - startedAt);
    }
    expect(textArrivalsMs).toHaveLength(3);
    expect(textArrivalsMs[0]).toBeGreaterThanOrEqual(90);
    expect((textArrivalsMs[2] ?? 0) - (textArrivalsMs[0] ?? 0)).toBeGreaterThanOrEqual(70);
  });

  it("can end cleanly with [DONE] but no finish_reason", async () => {
    fake.enqueue({ text: "unfinished business", endWithoutFinish: true });
    const chunks = await readAll(await startStream("gpt-4o-mini"));
    expect(joinedText(chunks)).toBe("unfinished business");
    expect(chunks.some((chunk) => chunk.choices.some((choice) => choice.finish_reason != null))).toBe(false);
  });
});

describe("broken streams", () => {
  it("cut after some characters: the SDK iterator yields the partial text, then throws TypeError 'terminated'", async () => {
    fake.enqueue({ text: "Hello there, this answer will not finish.", chunkSize: 4, cutAfterChars: 10 });
    const stream = await startStream("gpt-4o-mini");
    const received: ChatCompletionChunk[] = [];
    let thrown: unknown;
    try {
      for await (const chunk of stream) received.push(chunk);
    } catch (error) {
      thrown = error;
    }
    // Observed with openai 7.57 on Node 24: undici's own error surfaces, not an OpenAI.APIError.
    expect(joinedText(received)).toBe("Hello ther");
    expect(thrown).toBeInstanceOf(TypeError);
    expect(thrown).not.toBeInstanceOf(OpenAI.APIError);
    expect(thrown).toMatchObject({ message: "terminated", cause: { code: "UND_ERR_SOCKET" } });
    expect(received.some((chunk) => chunk.choices[0]?.finish_reason != null)).toBe(false);
    expect(fake.requests[0]?.closedByClient).toBe(false);
  });

  it("aborted by the client: the SDK iterator ends quietly and the fake records the hang-up", async () => {
    fake.enqueue({ text: "a long answer the bot will not wait for", chunkSize: 4, chunkDelayMs: 30 });
    const controller = new AbortController();
    const stream = await startStream("gpt-4o-mini", { signal: controller.signal });
    let text = "";
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (text.length >= 8) controller.abort();
    }
    expect(text).toBe("a long a");
    await expect.poll(() => fake.requests[0]?.closedByClient).toBe(true);
  });

  it("close() ends an open stream at once instead of hanging the test", async () => {
    fake.enqueue({ text: "slow", chunkSize: 1, firstChunkDelayMs: 60_000 });
    const stream = await startStream("gpt-4o-mini");
    const reading = readAll(stream).then(
      () => "ended",
      () => "threw",
    );
    const startedAt = performance.now();
    await fake.close();
    expect(await reading).toMatch(/ended|threw/);
    expect(performance.now() - startedAt).toBeLessThan(1000);
  });
});
