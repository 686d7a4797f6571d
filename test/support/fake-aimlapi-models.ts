// The fake AI/ML API's model catalogue: the models it lists on GET /v1/models, in the provider's own shape.

/** One model as the provider lists it (see specs/aimlapi/models.json); capabilities show only when asked for. */
export interface FakeModel {
  id: string;
  aliases: string[];
  type: string;
  info: {
    name: string;
    developer: string;
    contextLength?: number;
    outputMax?: number;
  };
  tags: string[];
  capabilities?: string[];
}

/** The models parley uses by default, plus a Perplexity search model to fall back on. */
export const DEFAULT_FAKE_MODELS: readonly FakeModel[] = [
  {
    id: "openai/gpt-4.1-mini-2025-04-14",
    aliases: ["gpt-4.1-mini-2025-04-14", "gpt-4.1-mini"],
    type: "openai/chat-completions",
    info: { name: "GPT-4.1 Mini", developer: "Open AI", contextLength: 1_000_000, outputMax: 32_768 },
    tags: ["playground:chat"],
    capabilities: ["streaming", "tools", "structured_output", "vision"],
  },
  {
    id: "gpt-4o-mini",
    aliases: ["gpt-4o-mini-2024-07-18"],
    type: "openai/chat-completions",
    info: { name: "GPT-4o Mini", developer: "Open AI", contextLength: 128_000, outputMax: 16_384 },
    tags: ["playground:chat"],
    capabilities: ["streaming", "tools", "structured_output", "vision"],
  },
  {
    id: "openai/o4-mini-2025-04-16",
    aliases: ["o4-mini-2025-04-16"],
    type: "openai/chat-completions",
    info: { name: "o4-mini", developer: "Open AI", contextLength: 200_000, outputMax: 100_000 },
    tags: ["playground:chat", "reasoning"],
    capabilities: ["streaming", "tools", "structured_output", "reasoning"],
  },
  {
    id: "gpt-4o-mini-search-preview",
    aliases: [],
    type: "openai/chat-completions",
    info: {
      name: "GPT-4o Mini Search Preview",
      developer: "Open AI",
      contextLength: 128_000,
      outputMax: 16_384,
    },
    tags: ["playground:chat", "deprecated"],
    capabilities: ["streaming", "web_search"],
  },
  {
    id: "perplexity/sonar",
    aliases: [],
    type: "openai/chat-completions",
    info: { name: "Sonar", developer: "Perplexity", contextLength: 127_000 },
    tags: ["playground:chat"],
    capabilities: ["streaming", "web_search"],
  },
];

/** A fresh, deep copy of the default catalogue, so a test can change it without touching the defaults. */
export function copyDefaultFakeModels(): FakeModel[] {
  return structuredClone([...DEFAULT_FAKE_MODELS]);
}

/** True when a model id matches a listed model's id or one of its aliases. */
export function isListedModel(models: readonly FakeModel[], modelId: string): boolean {
  return models.some((model) => model.id === modelId || model.aliases.includes(modelId));
}

/** The body of GET /v1/models; like the provider, capabilities appear only with include=capabilities|all or details. */
export function modelsListBody(models: readonly FakeModel[], query: URLSearchParams): object {
  const included = query
    .getAll("include")
    .flatMap((value) => value.split(","))
    .map((value) => value.trim());
  const details = query.get("details");
  const withCapabilities =
    included.includes("capabilities") || included.includes("all") || details === "true" || details === "1";
  const wantedIds = query
    .getAll("id")
    .flatMap((value) => value.split(","))
    .filter((value) => value !== "");
  const listed =
    wantedIds.length === 0
      ? models
      : models.filter((model) => wantedIds.some((id) => isListedModel([model], id)));
  return {
    object: "list",
    data: listed.map(({ capabilities, ...model }) =>
      withCapabilities ? { ...model, capabilities: capabilities ?? [] } : model,
    ),
  };
}
