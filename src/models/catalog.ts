// The provider's live model list (GET /models), read loosely, with the built-in table behind it.
import { distance } from "fastest-levenshtein";
import type { Logger } from "../logger.ts";
import { BUILTIN_MODELS, type ModelInfo, UNKNOWN_MODEL_CONTEXT_TOKENS } from "./builtin-models.ts";
import { isWebSearchModel, SEARCH_FALLBACK_ORDER } from "./families.ts";

/** What the engine asks about models. */
export interface ModelCatalog {
  /** True when the provider's list answered; otherwise every model counts as available. */
  live: boolean;
  /** Limits, abilities and canonical id of a model (live entry, else built-in, else a cautious default). */
  info(modelId: string): ModelInfo;
  /** Whether the provider lists the model (always true when the list could not be fetched). */
  isListed(modelId: string): boolean;
  /** Listed model ids closest to a name, for "did you mean". */
  nearest(modelId: string, count?: number): string[];
  /** The model /search uses, and the configured one it replaced when that was not listed. */
  searchModel: { id: string; replaced?: string };
}

/** Fetches GET {baseUrl}/models and builds the catalog; never throws. */
export async function loadModelCatalog(options: {
  baseUrl: string;
  configured: { chat: string; search: string; reason: string };
  allowed: readonly string[];
  logger: Logger;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Promise<ModelCatalog> {
  const { logger } = options;
  let listed: ModelInfo[] | undefined;
  try {
    const response = await (options.fetch ?? fetch)(`${options.baseUrl}/models?include=capabilities`, {
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    listed = parseModelList(await response.json());
    logger.info({ models: listed.length }, "provider model list loaded");
  } catch (error) {
    logger.warn(
      { err: String(error) },
      "could not fetch the provider's model list; using the built-in table",
    );
  }
  const catalog = buildCatalog(listed, options.configured.search);
  for (const modelId of new Set([...Object.values(options.configured), ...options.allowed])) {
    if (!catalog.isListed(modelId)) {
      logger.warn(
        { model: modelId, nearest: catalog.nearest(modelId) },
        "configured model is not listed by the provider",
      );
    }
  }
  if (catalog.searchModel.replaced) {
    logger.warn(
      { configured: catalog.searchModel.replaced, using: catalog.searchModel.id },
      "search model not listed; /search falls back to a listed web-search model",
    );
  }
  return catalog;
}

/** Builds a catalog from a parsed live list (undefined when it could not be fetched). */
export function buildCatalog(listed: ModelInfo[] | undefined, configuredSearch: string): ModelCatalog {
  const byName = new Map<string, ModelInfo>();
  for (const model of listed ?? []) {
    for (const name of [model.id, ...model.aliases]) byName.set(name.toLowerCase(), model);
  }
  const builtinByName = new Map<string, ModelInfo>();
  for (const model of BUILTIN_MODELS) {
    for (const name of [model.id, ...model.aliases]) builtinByName.set(name.toLowerCase(), model);
  }
  const live = listed !== undefined;
  const isListed = (modelId: string) => !live || byName.has(modelId.toLowerCase());
  const listedIds = (listed ?? []).map((model) => model.id);

  const catalog: ModelCatalog = {
    live,
    isListed,
    info(modelId) {
      const key = modelId.toLowerCase();
      const known = byName.get(key) ?? builtinByName.get(key);
      // The canonical id: the specs accept it, while an alias the list knows may not be in a spec's enum.
      if (known) return known;
      return {
        id: modelId,
        aliases: [],
        contextWindowTokens: UNKNOWN_MODEL_CONTEXT_TOKENS,
        supportsVision: false,
      };
    },
    nearest(modelId, count = 3) {
      const pool = live ? listedIds : BUILTIN_MODELS.map((model) => model.id);
      return [...pool].sort((a, b) => distance(modelId, a) - distance(modelId, b)).slice(0, count);
    },
    searchModel: { id: configuredSearch },
  };
  if (live && !isListed(configuredSearch)) {
    const fallback =
      SEARCH_FALLBACK_ORDER.find((id) => isListed(id)) ?? listedIds.find((id) => isWebSearchModel(id));
    if (fallback) catalog.searchModel = { id: fallback, replaced: configuredSearch };
  }
  return catalog;
}

/** Reads the provider's `{data:[{id, aliases, info:{contextLength, outputMax}, capabilities}]}` loosely. */
export function parseModelList(body: unknown): ModelInfo[] {
  const data = isRecord(body) && Array.isArray(body.data) ? body.data : [];
  const models: ModelInfo[] = [];
  for (const entry of data) {
    if (!isRecord(entry) || typeof entry.id !== "string") continue;
    const info = isRecord(entry.info) ? entry.info : {};
    const builtin = BUILTIN_MODELS.find((model) => model.id === entry.id);
    const capabilities = Array.isArray(entry.capabilities) ? entry.capabilities : undefined;
    const inputs =
      isRecord(entry.modalities) && Array.isArray(entry.modalities.input)
        ? entry.modalities.input
        : undefined;
    models.push({
      id: entry.id,
      aliases: Array.isArray(entry.aliases) ? entry.aliases.filter((alias) => typeof alias === "string") : [],
      contextWindowTokens:
        positiveNumber(info.contextLength) ?? builtin?.contextWindowTokens ?? UNKNOWN_MODEL_CONTEXT_TOKENS,
      outputMaxTokens: positiveNumber(info.outputMax) ?? builtin?.outputMaxTokens,
      supportsVision:
        capabilities?.includes("vision") ?? inputs?.includes("image") ?? builtin?.supportsVision ?? false,
    });
  }
  return models;
}

function positiveNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
