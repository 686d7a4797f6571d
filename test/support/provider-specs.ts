// Checks request bodies (and the models list) against the AI/ML API's own OpenAPI documents in test/specs/aimlapi.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

/** Outcome of checking one request body: which spec judged it and everything wrong with it. */
export interface ProviderRequestCheck {
  ok: boolean;
  /** File name of the spec whose `model` enum holds the body's model, e.g. "o4-mini.json". */
  specFile?: string;
  errors: string[];
}

/** One chat-completions spec, compiled. */
interface ChatSpec {
  file: string;
  modelIds: string[];
  propertyNames: Set<string>;
  validate: ValidateFunction;
}

/** The folder of the provider's specs, kept with the tests. */
const SPECS_DIRECTORY = new URL("../specs/aimlapi/", import.meta.url);
const CHAT_SCHEMA_POINTER =
  "#/paths/~1v1~1chat~1completions/post/requestBody/content/application~1json/schema";
const MODELS_SCHEMA_POINTER = "#/paths/~1v1~1models/get/responses/200/content/application~1json/schema";

// ajv-formats is CommonJS: under NodeNext its default import is the module object, whose `default` is the plugin.
const addFormats = addFormatsModule.default;

let chatSpecsCache: ChatSpec[] | undefined;
let modelsValidatorCache: ValidateFunction | undefined;

/** A JSON object (not null, not an array). */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** OpenAPI 3.0 writes "any value, null included" as `{nullable: true}` without a type, which Ajv refuses: drop it. */
function dropTypelessNullable(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) dropTypelessNullable(item);
    return;
  }
  if (!isObject(value)) return;
  if (typeof value.nullable === "boolean" && !("type" in value)) delete value.nullable;
  for (const child of Object.values(value)) dropTypelessNullable(child);
}

/** Reads every spec document, keyed by file name; fails loudly when the folder is missing. */
function readSpecDocuments(): Map<string, Record<string, unknown>> {
  const directoryPath = fileURLToPath(SPECS_DIRECTORY);
  if (!existsSync(directoryPath)) {
    throw new Error(
      `AI/ML API specs not found at ${directoryPath}: provider-specs.ts expects them in test/specs/aimlapi/`,
    );
  }
  const documents = new Map<string, Record<string, unknown>>();
  for (const file of readdirSync(directoryPath)
    .filter((name) => name.endsWith(".json"))
    .sort()) {
    const document: unknown = JSON.parse(readFileSync(new URL(file, SPECS_DIRECTORY), "utf8"));
    if (!isObject(document)) throw new Error(`${file}: not a JSON object`);
    dropTypelessNullable(document);
    documents.set(file, document);
  }
  return documents;
}

/** Follows plain keys down a document, undefined as soon as one is missing. */
function dig(value: unknown, keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** One Ajv for OpenAPI 3.0 schemas: unknown keywords (example, title…) tolerated, every error reported. */
function createAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  return ajv;
}

/** Loads and compiles every chat-completions spec once. */
function chatSpecs(): ChatSpec[] {
  if (chatSpecsCache !== undefined) return chatSpecsCache;
  const ajv = createAjv();
  const specs: ChatSpec[] = [];
  for (const [file, document] of readSpecDocuments()) {
    const schema = dig(document, [
      "paths",
      "/v1/chat/completions",
      "post",
      "requestBody",
      "content",
      "application/json",
      "schema",
    ]);
    if (!isObject(schema)) continue;
    // The whole document goes in, so any $ref into components resolves.
    ajv.addSchema(document, file);
    const modelEnum = dig(schema, ["properties", "model", "enum"]);
    specs.push({
      file,
      modelIds: Array.isArray(modelEnum)
        ? modelEnum.filter((id): id is string => typeof id === "string")
        : [],
      propertyNames: new Set(Object.keys(isObject(schema.properties) ? schema.properties : {})),
      validate: ajv.compile({ $ref: `${file}${CHAT_SCHEMA_POINTER}` }),
    });
  }
  chatSpecsCache = specs;
  return specs;
}

/** Turns Ajv's errors into short lines such as `/reasoning_effort must be equal to one of the allowed values: low, medium, high`. */
function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const where = error.instancePath === "" ? "(body)" : error.instancePath;
    const params: Record<string, unknown> = error.params;
    const allowed = Array.isArray(params.allowedValues) ? `: ${params.allowedValues.join(", ")}` : "";
    const extra = typeof params.additionalProperty === "string" ? `: ${params.additionalProperty}` : "";
    return `${where} ${error.message ?? "is invalid"}${allowed}${extra}`;
  });
}

/** Every model id some chat-completions spec accepts. */
export function specModelIds(): string[] {
  return [...new Set(chatSpecs().flatMap((spec) => spec.modelIds))].sort();
}

/** Checks a chat-completions body against the spec holding its model; top-level keys the spec lacks count as errors. */
export function validateProviderRequest(body: unknown): ProviderRequestCheck {
  if (!isObject(body)) return { ok: false, errors: ["body must be a JSON object"] };
  if (typeof body.model !== "string") return { ok: false, errors: ['body has no string "model"'] };
  const model = body.model;
  const candidates = chatSpecs().filter((spec) => spec.modelIds.includes(model));
  if (candidates.length === 0) {
    return { ok: false, errors: [`no spec in specs/aimlapi accepts the model "${model}"`] };
  }
  // Some ids appear in more than one spec (e.g. anthropic/claude-sonnet-4): passing any one of them is enough.
  const checks = candidates.map((spec): ProviderRequestCheck & { specFile: string } => {
    const schemaErrors = spec.validate(body) ? [] : describeErrors(spec.validate.errors);
    const extraKeys = Object.keys(body)
      .filter((key) => !spec.propertyNames.has(key))
      .map((key) => `/${key} is not in ${spec.file}'s request schema (the gateway would silently drop it)`);
    const errors = [...schemaErrors, ...extraKeys];
    return { ok: errors.length === 0, specFile: spec.file, errors };
  });
  const passed = checks.find((check) => check.ok);
  if (passed !== undefined) return passed;
  const [first] = checks;
  if (first === undefined || checks.length === 1) return first ?? { ok: false, errors: ["no spec checked"] };
  return {
    ok: false,
    specFile: first.specFile,
    errors: checks.flatMap((check) => check.errors.map((error) => `${check.specFile}: ${error}`)),
  };
}

/** Checks a GET /v1/models body against specs/aimlapi/models.json. */
export function validateModelsResponse(body: unknown): { ok: boolean; errors: string[] } {
  if (modelsValidatorCache === undefined) {
    const document = readSpecDocuments().get("models.json");
    if (document === undefined) throw new Error("specs/aimlapi/models.json is missing");
    const ajv = createAjv();
    ajv.addSchema(document, "models.json");
    modelsValidatorCache = ajv.compile({ $ref: `models.json${MODELS_SCHEMA_POINTER}` });
  }
  const ok = modelsValidatorCache(body);
  return { ok, errors: ok ? [] : describeErrors(modelsValidatorCache.errors) };
}
