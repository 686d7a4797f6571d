// Which request rules a model follows, read from its id: search-preview, o-series reasoning, web search, or chat.

/** The request shapes parley knows, from the provider's per-model specs. */
export type ModelFamily = "search-preview" | "reasoning" | "web-search" | "chat";

/** Classifies a model id by the parameters its spec accepts. */
export function modelFamily(modelId: string): ModelFamily {
  const name = modelId.toLowerCase().split("/").pop() ?? "";
  if (name.includes("search-preview")) return "search-preview";
  if (/^o\d/.test(name)) return "reasoning";
  if (isWebSearchModel(modelId)) return "web-search";
  return "chat";
}

/** Models that search the web by themselves (the provider's docs list these). */
export function isWebSearchModel(modelId: string): boolean {
  const id = modelId.toLowerCase();
  return (
    id.includes("search-preview") ||
    id.startsWith("perplexity/sonar") ||
    /^alibaba\/qwen3\.6-/.test(id) ||
    /^moonshot\/kimi-k2-/.test(id)
  );
}

/** Web-search models to fall back to, best first, when the configured one is not listed. */
export const SEARCH_FALLBACK_ORDER = [
  "gpt-4o-mini-search-preview",
  "gpt-4o-search-preview",
  "perplexity/sonar",
  "perplexity/sonar-pro",
];
