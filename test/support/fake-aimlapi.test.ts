// Proves the fake AI/ML API speaks the provider's dialect to the real openai SDK: models, completions, errors.
import OpenAI from "openai";
import type { ChatCompletion } from "openai/resources/chat/completions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeAimlApi, scriptedError, startFakeAimlApi } from "./fake-aimlapi.ts";
import { validateModelsResponse } from "./provider-specs.ts";

/** The provider's extra fields on a completion, which the SDK passes through untyped. */
type ProviderCompletion = ChatCompletion & {
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

/** Catches the error a promise rejects with, failing when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

describe("GET /v1/models", () => {
  it("lists the default models in the provider's shape, readable through the SDK", async () => {
    const page = await client.models.list();
    const ids = page.data.map((model) => model.id);
    expect(ids).toEqual([
      "openai/gpt-4.1-mini-2025-04-14",
      "gpt-4o-mini",
      "openai/o4-mini-2025-04-16",
      "gpt-4o-mini-search-preview",
      "perplexity/sonar",
    ]);
    const gpt4oMini: unknown = page.data[1];
    expect(gpt4oMini).toMatchObject({
      aliases: ["gpt-4o-mini-2024-07-18"],
      type: "openai/chat-completions",
      info: { contextLength: 128_000, outputMax: 16_384 },
    });
    expect(gpt4oMini).not.toHaveProperty("capabilities");
  });

  it("adds capabilities only when asked, and matches specs/aimlapi/models.json", async () => {
    const response = await fetch(`${fake.url}/models?include=capabilities`);
    const body: unknown = await response.json();
    expect(validateModelsResponse(body)).toEqual({ ok: true, errors: [] });
    expect(body).toMatchObject({ object: "list" });
    expect(JSON.stringify(body)).toContain(
      '"capabilities":["streaming","tools","structured_output","vision"]',
    );
    expect(fake.requests.at(-1)?.query.get("include")).toBe("capabilities");
  });

  it("serves a changed catalogue and a failing status, then reset() restores both", async () => {
    fake.models.splice(
      fake.models.findIndex((model) => model.id === "gpt-4o-mini-search-preview"),
      1,
    );
    expect((await client.models.list()).data.map((model) => model.id)).not.toContain(
      "gpt-4o-mini-search-preview",
    );

    fake.modelsStatus = 500;
    const error = await rejectionOf(client.models.list());
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error).toMatchObject({ status: 500, message: "500 Internal server error" });

    fake.reset();
    expect((await client.models.list()).data).toHaveLength(5);
    expect(fake.requests).toHaveLength(1);
  });
});

describe("POST /v1/chat/completions, not streamed", () => {
  it("echoes the last user message (array content joined) and records the request", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      max_tokens: 50,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "first question" },
        { role: "assistant", content: "first answer" },
        {
          role: "user",
          content: [
            { type: "text", text: "What is" },
            { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
            { type: "text", text: "in this picture?" },
          ],
        },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe("Echo: What is in this picture?");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.model).toBe("gpt-4o-mini-2025-01-01");
    const [recorded] = fake.requests;
    expect(recorded).toMatchObject({ method: "POST", path: "/v1/chat/completions", closedByClient: false });
    expect(recorded?.headers.authorization).toBe("Bearer test-key");
    expect(recorded?.receivedAt).toBeInstanceOf(Date);
    expect(fake.chatRequests()).toEqual([expect.objectContaining({ model: "gpt-4o-mini", max_tokens: 50 })]);
  });

  it("returns url_citation annotations, usage, meta.usage and the cost headers", async () => {
    const text = "Paris is the capital of France ([Wikipedia](https://en.wikipedia.org/wiki/Paris)).";
    fake.enqueue({
      text,
      annotations: [{ url: "https://en.wikipedia.org/wiki/Paris", title: "Paris - Wikipedia" }],
      usage: { prompt_tokens: 12, completion_tokens: 20 },
      usdSpent: 0.0005,
    });
    const { data, response } = await client.chat.completions
      .create({
        model: "gpt-4o-mini-search-preview",
        messages: [{ role: "user", content: "capital of France?" }],
      })
      .withResponse();
    const completion: ProviderCompletion = data;
    const urlStart = text.indexOf("https://");
    expect(completion.choices[0]?.message.annotations).toEqual([
      {
        type: "url_citation",
        url_citation: {
          url: "https://en.wikipedia.org/wiki/Paris",
          title: "Paris - Wikipedia",
          start_index: urlStart,
          end_index: urlStart + "https://en.wikipedia.org/wiki/Paris".length,
        },
      },
    ]);
    expect(completion.usage).toEqual({ prompt_tokens: 12, completion_tokens: 20, total_tokens: 32 });
    expect(completion.meta?.usage).toEqual({ credits_used: 1000, usd_spent: 0.0005 });
    expect(response.headers.get("x-aimlapi-usd-spent")).toBe("0.0005");
    expect(response.headers.get("x-aimlapi-credits-used")).toBe("1000");
    expect(response.headers.get("x-inference-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("puts Perplexity citations and search_results at the top level", async () => {
    fake.enqueue({
      text: "Sonar says hi [1].",
      citations: ["https://example.com/a"],
      searchResults: [{ title: "A", url: "https://example.com/a", date: "2026-01-02" }],
    });
    const completion: ProviderCompletion = await client.chat.completions.create({
      model: "perplexity/sonar",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(completion.citations).toEqual(["https://example.com/a"]);
    expect(completion.search_results).toEqual([
      { title: "A", url: "https://example.com/a", date: "2026-01-02" },
    ]);
  });

  it("answers from a function of the request and waits delayMs first", async () => {
    fake.enqueue((request) => ({ text: `you asked ${request.body.model}`, delayMs: 120 }));
    const startedAt = performance.now();
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini-2024-07-18",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(completion.choices[0]?.message.content).toBe("you asked gpt-4o-mini-2024-07-18");
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(100);
    expect(fake.pendingReplyCount()).toBe(0);
  });
});

describe("errors in the provider's body shape", () => {
  it("keeps the provider's 401 message on the SDK's APIError (message and .error)", async () => {
    fake.enqueue(scriptedError(401));
    const error = await rejectionOf(
      client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
    );
    // Observed with openai 7.57: the SDK wraps a body without `error` as `{error: body}`, so both survive.
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    if (!(error instanceof OpenAI.APIError)) throw error;
    expect(error.status).toBe(401);
    expect(error.message).toBe(
      "401 This request requires a valid API key. Provide it in the Authorization header as a Bearer token.",
    );
    expect(error.error).toEqual({
      message:
        "This request requires a valid API key. Provide it in the Authorization header as a Bearer token.",
      statusCode: 401,
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      path: "/v1/chat/completions",
      timestamp: expect.any(String),
    });
    expect(error.requestID).toBe((error.error as { requestId: string }).requestId);
    expect(error.code).toBeUndefined();
    expect(error.type).toBeUndefined();
  });

  it.each([
    [400, OpenAI.BadRequestError],
    [403, OpenAI.PermissionDeniedError],
    [404, OpenAI.NotFoundError],
    [429, OpenAI.RateLimitError],
    [502, OpenAI.InternalServerError],
    [504, OpenAI.InternalServerError],
  ])("maps a scripted %i to the SDK's error class with the provider's text", async (status, errorClass) => {
    fake.enqueue(scriptedError(status, `scripted ${status}`));
    const error = await rejectionOf(
      client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
    );
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ status, message: `${status} scripted ${status}` });
  });

  it("fails twice with 503 then succeeds, the SDK retrying at once on retry-after: 0", async () => {
    const retryingClient = new OpenAI({ apiKey: "test-key", baseURL: fake.url, maxRetries: 2 });
    const busy = scriptedError(503, undefined, { "retry-after": "0" });
    fake.enqueue(busy, busy, { text: "third time lucky" });
    const completion = await retryingClient.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(completion.choices[0]?.message.content).toBe("third time lucky");
    expect(fake.chatRequests()).toHaveLength(3);
  });

  it("rejects a model missing from the catalogue with 404, and an unknown path with 404", async () => {
    const error = await rejectionOf(
      client.chat.completions.create({ model: "o4-mini", messages: [{ role: "user", content: "hi" }] }),
    );
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({ message: '404 Model "o4-mini" not found or not available' });

    const response = await fetch(`${fake.url}/embeddings`, { method: "POST", body: "{}" });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ statusCode: 404, path: "/v1/embeddings" });
  });

  it("drops the connection of a non-streamed reply with cutAfterChars: the SDK reports a connection error", async () => {
    fake.enqueue({ cutAfterChars: 0 });
    const error = await rejectionOf(
      client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
    );
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
  });
});
