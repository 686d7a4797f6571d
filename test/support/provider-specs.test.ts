// Proves the spec validator accepts what the provider accepts and flags what it would reject or silently drop.
import OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeAimlApi, startFakeAimlApi } from "./fake-aimlapi.ts";
import { specModelIds, validateModelsResponse, validateProviderRequest } from "./provider-specs.ts";

const O4_MINI = "openai/o4-mini-2025-04-16";
const SEARCH_PREVIEW = "gpt-4o-mini-search-preview";
const question: ChatCompletionMessageParam[] = [{ role: "user", content: "Why is the sky blue?" }];

describe("specModelIds", () => {
  it("holds parley's default ids, and not the ids the provider refuses", () => {
    const ids = specModelIds();
    expect(ids).toEqual(
      expect.arrayContaining([
        "openai/gpt-4.1-mini-2025-04-14",
        "gpt-4o-mini",
        "gpt-4o-mini-2024-07-18",
        O4_MINI,
        SEARCH_PREVIEW,
      ]),
    );
    expect(ids).not.toContain("o4-mini");
    // No spec for Perplexity models sits in specs/aimlapi: bodies for them cannot be checked.
    expect(ids).not.toContain("perplexity/sonar");
  });
});

describe("validateProviderRequest", () => {
  it("accepts an o4-mini body with reasoning_effort, max_completion_tokens and streaming usage", () => {
    const result = validateProviderRequest({
      model: O4_MINI,
      messages: [{ role: "developer", content: "Think it through." }, ...question],
      reasoning_effort: "high",
      max_completion_tokens: 25_000,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(result).toEqual({ ok: true, specFile: "o4-mini.json", errors: [] });
  });

  it("accepts gpt-4o-mini with an image part (data: URL) and temperature", () => {
    const result = validateProviderRequest({
      model: "gpt-4o-mini-2024-07-18",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=", detail: "low" } },
          ],
        },
      ],
      temperature: 0.7,
      max_tokens: 1000,
    });
    expect(result).toEqual({ ok: true, specFile: "gpt-4o-mini.json", errors: [] });
  });

  it("flags temperature on o4-mini as a key its spec lacks", () => {
    const result = validateProviderRequest({ model: O4_MINI, messages: question, temperature: 0.2 });
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      "/temperature is not in o4-mini.json's request schema (the gateway would silently drop it)",
    ]);
  });

  it("flags temperature on the search-preview model", () => {
    const result = validateProviderRequest({
      model: SEARCH_PREVIEW,
      messages: question,
      temperature: 1,
      max_tokens: 500,
    });
    expect(result).toMatchObject({ ok: false, specFile: "gpt-4o-mini-search-preview.json" });
    expect(result.errors).toEqual([
      expect.stringContaining("/temperature is not in gpt-4o-mini-search-preview.json"),
    ]);
  });

  it('rejects reasoning_effort "extreme", naming the allowed values', () => {
    const result = validateProviderRequest({
      model: O4_MINI,
      messages: question,
      reasoning_effort: "extreme",
    });
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      "/reasoning_effort must be equal to one of the allowed values: low, medium, high",
    ]);
  });

  it("rejects a body without messages", () => {
    const result = validateProviderRequest({ model: "gpt-4o-mini", max_tokens: 10 });
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual(["(body) must have required property 'messages'"]);
  });

  it('rejects plain "o4-mini": no spec holds it', () => {
    const result = validateProviderRequest({ model: "o4-mini", messages: question });
    expect(result).toEqual({ ok: false, errors: ['no spec in specs/aimlapi accepts the model "o4-mini"'] });
  });

  it("rejects stream_options without include_usage, seed 0, and a non-object body", () => {
    const streamOptions = validateProviderRequest({
      model: "gpt-4o-mini",
      messages: question,
      stream_options: {},
    });
    expect(streamOptions.errors).toEqual(["/stream_options must have required property 'include_usage'"]);
    const seed = validateProviderRequest({ model: "gpt-4o-mini", messages: question, seed: 0 });
    expect(seed.errors).toEqual(["/seed must be >= 1"]);
    expect(validateProviderRequest("hello")).toEqual({ ok: false, errors: ["body must be a JSON object"] });
  });
});

describe("validating what the SDK really sends", () => {
  let fake: FakeAimlApi;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFakeAimlApi();
    client = new OpenAI({ apiKey: "test-key", baseURL: fake.url, maxRetries: 0 });
  });

  afterAll(async () => {
    await fake.close();
  });

  it("accepts the bodies the SDK sends for a streamed o4-mini call and a search call, and catches a stray key", async () => {
    const stream = await client.chat.completions.create({
      model: O4_MINI,
      messages: [{ role: "user", content: "think" }],
      reasoning_effort: "low",
      max_completion_tokens: 10_000,
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const _chunk of stream) {
      // Drain the stream.
    }
    await client.chat.completions.create({ model: SEARCH_PREVIEW, messages: question, max_tokens: 800 });
    // The fake answers 400, as the gateway does to a wrong value; an extra key is a parley bug all the same.
    await expect(
      client.chat.completions.create({ model: SEARCH_PREVIEW, messages: question, top_p: 0.5 }),
    ).rejects.toThrow(/400 Body validation error: .*top_p is not in gpt-4o-mini-search-preview\.json/);
    expect(fake.specViolations).toEqual([expect.stringContaining("gpt-4o-mini-search-preview: ")]);

    const results = fake.chatRequests().map((body) => validateProviderRequest(body));
    expect(results.map((result) => result.ok)).toEqual([true, true, false]);
    expect(results[2]?.errors).toEqual([
      expect.stringContaining("/top_p is not in gpt-4o-mini-search-preview.json"),
    ]);
  });

  it("finds the fake's full /v1/models answer valid against models.json, and notices a broken one", async () => {
    const body: unknown = await (await fetch(`${fake.url}/models?include=all`)).json();
    expect(validateModelsResponse(body)).toEqual({ ok: true, errors: [] });
    expect(validateModelsResponse({ object: "list", data: [{ id: "x" }] }).ok).toBe(false);
  });
});
