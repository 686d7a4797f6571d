// What parley knows about common models when the provider's /models list cannot be fetched.

/** Limits and abilities of one model. */
export interface ModelInfo {
  id: string;
  aliases: string[];
  contextWindowTokens: number;
  outputMaxTokens?: number;
  supportsVision: boolean;
}

/** The fallback table; the live list wins whenever it answers. */
export const BUILTIN_MODELS: readonly ModelInfo[] = [
  {
    id: "openai/gpt-4.1-mini-2025-04-14",
    aliases: ["gpt-4.1-mini"],
    contextWindowTokens: 1_000_000,
    outputMaxTokens: 32_768,
    supportsVision: true,
  },
  {
    id: "openai/gpt-4.1-nano-2025-04-14",
    aliases: ["gpt-4.1-nano"],
    contextWindowTokens: 1_000_000,
    outputMaxTokens: 32_768,
    supportsVision: true,
  },
  {
    id: "gpt-4o-mini",
    aliases: ["gpt-4o-mini-2024-07-18"],
    contextWindowTokens: 128_000,
    outputMaxTokens: 16_384,
    supportsVision: true,
  },
  {
    id: "openai/gpt-4o",
    aliases: ["gpt-4o", "gpt-4o-2024-08-06"],
    contextWindowTokens: 128_000,
    outputMaxTokens: 16_384,
    supportsVision: true,
  },
  {
    id: "openai/o4-mini-2025-04-16",
    aliases: [],
    contextWindowTokens: 200_000,
    outputMaxTokens: 100_000,
    supportsVision: true,
  },
  {
    id: "o3-mini",
    aliases: [],
    contextWindowTokens: 200_000,
    outputMaxTokens: 100_000,
    supportsVision: false,
  },
  {
    id: "gpt-4o-mini-search-preview",
    aliases: [],
    contextWindowTokens: 128_000,
    outputMaxTokens: 16_384,
    supportsVision: false,
  },
  {
    id: "gpt-4o-search-preview",
    aliases: [],
    contextWindowTokens: 128_000,
    outputMaxTokens: 16_384,
    supportsVision: false,
  },
  { id: "perplexity/sonar", aliases: [], contextWindowTokens: 127_000, supportsVision: false },
  { id: "perplexity/sonar-pro", aliases: [], contextWindowTokens: 200_000, supportsVision: false },
];

/** Context window assumed for a model nobody knows. */
export const UNKNOWN_MODEL_CONTEXT_TOKENS = 32_000;
