// /search: citations from annotations and Perplexity-style fields, and the fallback when the search model is gone.
import { afterEach, describe, expect, it } from "vitest";
import { type EngineHarness, startEngineHarness } from "../../support/engine-harness.ts";
import { validateProviderRequest } from "../../support/provider-specs.ts";

let harness: EngineHarness;
afterEach(async () => {
  await harness?.close();
});

describe("/search", () => {
  it("returns url_citation annotations as numbered, deduplicated sources", async () => {
    harness = await startEngineHarness();
    harness.fake.enqueue({
      text: "Node 24 is the current LTS.",
      annotations: [
        { url: "https://nodejs.org/en/about/previous-releases", title: "Node.js releases" },
        { url: "https://nodejs.org/en/about/previous-releases", title: "Node.js releases" },
        { url: "https://github.com/nodejs/Release", title: "nodejs/Release" },
      ],
    });
    const outcome = await harness.run({ kind: "search", text: "current node lts" });
    expect(outcome.result?.text).toBe("Node 24 is the current LTS.");
    expect(outcome.result?.citations).toEqual([
      { url: "https://nodejs.org/en/about/previous-releases", title: "Node.js releases" },
      { url: "https://github.com/nodejs/Release", title: "nodejs/Release" },
    ]);
    expect(outcome.result?.notes).toEqual([]);
    // A follow-up can refer to the sources: they are kept with the answer in the history.
    await harness.run({ kind: "follow-up", text: "what does the second link say?" });
    const history = harness.fake.chatRequests()[1]?.messages.map((message) => message.content);
    expect(history?.[2]).toBe(
      "Node 24 is the current LTS.\n\nSources:\n1. https://nodejs.org/en/about/previous-releases\n2. https://github.com/nodejs/Release",
    );
  });

  it("falls back to a listed web-search model, says which one searched, and reads its citations", async () => {
    harness = await startEngineHarness();
    await harness?.close();
    harness = await startEngineHarness({
      fake: {
        models: (await import("../../support/fake-aimlapi.ts"))
          .copyDefaultFakeModels()
          .filter((model) => !model.id.includes("search-preview")),
      },
    });
    harness.fake.enqueue({
      text: "Answer with sources [1][2].",
      citations: ["https://example.com/a", "https://example.com/b"],
      searchResults: [{ title: "Page A", url: "https://example.com/a" }],
    });
    const outcome = await harness.run({ kind: "search", text: "anything" });
    const [body] = harness.fake.chatRequests();
    expect(body?.model).toBe("perplexity/sonar");
    expect(body?.stream).toBe(true);
    expect(Object.keys(body ?? {}).sort()).toEqual([
      "max_tokens",
      "messages",
      "model",
      "stream",
      "stream_options",
    ]);
    expect(outcome.result?.notes).toEqual([
      "Searched with perplexity/sonar (gpt-4o-mini-search-preview is no longer offered by the provider).",
    ]);
    expect(outcome.result?.citations).toEqual([
      { url: "https://example.com/a", title: "Page A" },
      { url: "https://example.com/b" },
    ]);
  });

  it("sends valid search-preview requests even with a long history", async () => {
    harness = await startEngineHarness();
    for (const query of ["one", "two", "three"]) await harness.run({ kind: "search", text: query });
    const bodies = harness.fake.chatRequests();
    expect(bodies[2]?.messages).toHaveLength(6);
    for (const body of bodies) expect(validateProviderRequest(body).errors).toEqual([]);
  });

  it("numbers Perplexity sources in the order of `citations`, titled from `search_results`", async () => {
    harness = await startEngineHarness();
    harness.fake.enqueue({
      text: "See [1] and [2].",
      citations: ["https://example.com/first", "https://example.com/second"],
      searchResults: [{ title: "Second page", url: "https://example.com/second" }],
    });
    const outcome = await harness.run({ kind: "search", text: "order" });
    expect(outcome.result?.citations).toEqual([
      { url: "https://example.com/first" },
      { url: "https://example.com/second", title: "Second page" },
    ]);
  });
});
