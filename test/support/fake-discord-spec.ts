// Checks the JSON bodies the bot sends to the fake Discord against Discord's OpenAPI v10 document and bot limits.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ErrorObject, ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

/** Discord's OpenAPI document: shared/ sits beside the project root. */
const SPEC_URL = new URL("../specs/discord/discord-openapi-v10.json", import.meta.url);
const SPEC_ID = "https://discord.test/openapi-v10.json";

/** Bots may send at most 2000 characters of content (the spec allows 4000, which is for Nitro users). */
export const BOT_CONTENT_LIMIT = 2000;

// ajv-formats is CommonJS: under NodeNext its default import is the module object, whose `default` is the plugin.
const addFormats = addFormatsModule.default;

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  parameterNames: string[];
  /** Literal segments: the more, the more specific (`@original` beats `{message_id}`). */
  literalCount: number;
  schema?: unknown;
  validate?: ValidateFunction;
}

/** One route of the spec that matched a request. */
export interface MatchedRoute {
  /** The spec's path template, e.g. `/channels/{channel_id}/messages`. */
  template: string;
  /** Path parameters by name, decoded. */
  parameters: Record<string, string>;
}

/** A validator for request bodies, by method and path (the part after `/api/v10`). */
export interface DiscordSpec {
  /** The spec route a request goes to, or undefined when Discord has no such route. */
  match(method: string, path: string): MatchedRoute | undefined;
  /** Problems with a JSON body sent to that route (schema errors, over-long content); empty when fine. */
  check(method: string, path: string, body: unknown): string[];
}

let cachedSpec: DiscordSpec | undefined;

/** Loads the spec once per test file (compiling each route's schema on first use). */
export function loadDiscordSpec(): DiscordSpec {
  cachedSpec ??= buildSpec();
  return cachedSpec;
}

function buildSpec(): DiscordSpec {
  const document = JSON.parse(readFileSync(fileURLToPath(SPEC_URL), "utf8")) as {
    paths: Record<
      string,
      Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>
    >;
    components: unknown;
  };
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  addFormats(ajv);
  for (const format of ["snowflake", "int64", "int32", "double", "nonce"]) ajv.addFormat(format, true);
  ajv.addSchema({ $id: SPEC_ID, components: document.components });

  const operations: Operation[] = [];
  for (const [template, methods] of Object.entries(document.paths)) {
    const names: string[] = [];
    const source = template
      .split("/")
      .map((segment) => {
        const parameter = /^\{(\w+)\}$/.exec(segment);
        if (!parameter?.[1]) return segment.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
        names.push(parameter[1]);
        return "([^/]+)";
      })
      .join("/");
    for (const [method, operation] of Object.entries(methods)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      operations.push({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${source}$`),
        parameterNames: names,
        literalCount: template.split("/").length - names.length,
        schema: operation.requestBody?.content?.["application/json"]?.schema,
      });
    }
  }
  operations.sort((first, second) => second.literalCount - first.literalCount);

  const find = (method: string, path: string) => {
    const segments = path.split("/").map((segment) => decodeURIComponent(segment));
    const decoded = segments.join("/");
    for (const operation of operations) {
      if (operation.method !== method) continue;
      const found = operation.pattern.exec(decoded);
      if (found) return { operation, values: found.slice(1) };
    }
    return undefined;
  };

  return {
    match(method, path) {
      const found = find(method, path);
      if (!found) return undefined;
      const parameters: Record<string, string> = {};
      found.operation.parameterNames.forEach((name, index) => {
        parameters[name] = found.values[index] ?? "";
      });
      return { template: found.operation.template, parameters };
    },
    check(method, path, body) {
      const found = find(method, path);
      if (!found) return [`${method} ${path}: no such route in Discord's API`];
      const { operation } = found;
      const problems: string[] = [];
      if (operation.schema !== undefined && body !== undefined) {
        operation.validate ??= ajv.compile(pointSchemaAt(operation.schema));
        if (!operation.validate(body)) {
          problems.push(
            ...(operation.validate.errors ?? []).map((error) => describe(method, operation, error)),
          );
        }
      }
      for (const content of contentsOf(body)) {
        if (content.length > BOT_CONTENT_LIMIT) {
          problems.push(
            `${method} ${operation.template}: content is ${content.length} characters (bots: ${BOT_CONTENT_LIMIT})`,
          );
        }
      }
      return problems;
    },
  };
}

/** The operation's schema with its `#/components/...` references pointed at the shared spec document. */
function pointSchemaAt(schema: unknown): object {
  const text = JSON.stringify(schema).replaceAll('"#/components/', `"${SPEC_ID}#/components/`);
  return JSON.parse(text) as object;
}

/** Message contents in a body: its own `content` and an interaction callback's `data.content`. */
function contentsOf(body: unknown): string[] {
  if (typeof body !== "object" || body === null) return [];
  const record = body as { content?: unknown; data?: { content?: unknown } };
  return [record.content, record.data?.content].filter((value): value is string => typeof value === "string");
}

function describe(method: string, operation: Operation, error: ErrorObject): string {
  return `${method} ${operation.template}: body${error.instancePath} ${error.message ?? "is invalid"}`;
}
