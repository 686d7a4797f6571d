// The provider's model list: ids and aliases resolve, unlisted models are reported with near names, a dead list falls back.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";
import { loadModelCatalog } from "../../src/models/catalog.ts";
import { startFakeAimlApi } from "../support/fake-aimlapi.ts";

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(JSON.parse(String(chunk)));
      callback();
    },
  });
  return { logger: createLogger("info", sink), lines };
}

const configured = {
  chat: "gpt-4o-mini-2024-07-18",
  search: "gpt-4o-mini-search-preview",
  reason: "o4-mini",
};

describe("model catalog", () => {
  it("matches ids and aliases, takes context windows from the list, and names close matches for unlisted models", async () => {
    const fake = await startFakeAimlApi();
    const { logger, lines } = capturingLogger();
    const catalog = await loadModelCatalog({ baseUrl: fake.url, configured, allowed: [], logger });
    await fake.close();
    expect(catalog.live).toBe(true);
    expect(catalog.isListed("gpt-4o-mini-2024-07-18")).toBe(true);
    expect(catalog.info("gpt-4o-mini-2024-07-18").contextWindowTokens).toBe(128_000);
    expect(catalog.info("openai/gpt-4.1-mini-2025-04-14").contextWindowTokens).toBe(1_000_000);
    expect(catalog.isListed("o4-mini")).toBe(false);
    const warning = lines.find((line) => line.msg === "configured model is not listed by the provider");
    expect(warning?.model).toBe("o4-mini");
    expect(warning?.nearest).toContain("openai/o4-mini-2025-04-16");
    expect(fake.requests[0]?.path).toBe("/v1/models");
  });

  it("falls back to the built-in table when the list cannot be fetched", async () => {
    const fake = await startFakeAimlApi();
    fake.modelsStatus = 500;
    const { logger, lines } = capturingLogger();
    const catalog = await loadModelCatalog({ baseUrl: fake.url, configured, allowed: [], logger });
    await fake.close();
    expect(catalog.live).toBe(false);
    expect(catalog.isListed("anything")).toBe(true);
    expect(catalog.info("gpt-4o-mini").contextWindowTokens).toBe(128_000);
    expect(catalog.info("openai/o4-mini-2025-04-16").contextWindowTokens).toBe(200_000);
    expect(catalog.searchModel).toEqual({ id: "gpt-4o-mini-search-preview" });
    expect(lines.some((line) => String(line.msg).includes("using the built-in table"))).toBe(true);
  });

  it("picks a listed web-search model when the search-preview model is gone", async () => {
    const fake = await startFakeAimlApi();
    fake.models = fake.models.filter((model) => !model.id.includes("search-preview"));
    const { logger } = capturingLogger();
    const catalog = await loadModelCatalog({ baseUrl: fake.url, configured, allowed: [], logger });
    await fake.close();
    expect(catalog.searchModel).toEqual({ id: "perplexity/sonar", replaced: "gpt-4o-mini-search-preview" });
  });
});
