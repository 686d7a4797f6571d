// Reads and validates the whole environment once; the only place that looks at variables.
import dotenv from "dotenv";
import { z } from "zod";
import { COMMAND_NAME_CHARACTERS, MAX_SLASH_COMMAND_LENGTH, slashCommand } from "./command-names.ts";
import { COMMANDS } from "./commands.ts";
import { integer, optionalText } from "./config-fields.ts";
import { platformProblems } from "./config-platforms.ts";
import { ParleyError } from "./errors.ts";
import { type PolicyConfig, policyConfig, policyEnvironment } from "./policy/policy-config.ts";

/** Everything parley can be told through the environment. */
export interface Config {
  aimlApiKey: string;
  aimlBaseUrl: string;
  storeUrl: string;
  models: { chat: string; search: string; reason: string };
  /** Models /ask and /model may choose. */
  allowedModels: string[];
  systemPrompt: string;
  maxOutputTokens: number;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  discord: {
    token?: string;
    apiUrl: string;
    guildId?: string;
    registerCommandsOnStart: boolean;
    /** How many gateway shards to run: a number, or "auto" for Discord's recommendation. */
    shards: number | "auto";
  };
  slack: { botToken?: string; signingSecret?: string; appToken?: string; apiUrl: string; port: number };
  /** Where /healthz and /metrics listen when Slack is not in HTTP mode; undefined: not served. */
  metricsPort?: number;
  /** Limits, allow-lists, admins and retention (src/policy/policy-config.ts). */
  policy: PolicyConfig;
  /** Put before every command name on Discord and Slack (`ai-` → /ai-ask); "" for none. */
  commandPrefix: string;
}

/** The system prompt used when SYSTEM_PROMPT is not set. */
export const DEFAULT_SYSTEM_PROMPT =
  "You are parley, a helpful assistant in a team chat. Answer concisely and use Markdown. " +
  "Several people may write in one conversation; their names precede their messages.";

const DEFAULT_MODELS = {
  chat: "openai/gpt-4.1-mini-2025-04-14",
  search: "gpt-4o-mini-search-preview",
  reason: "openai/o4-mini-2025-04-16",
};

const httpUrl = (fallback: string) =>
  optionalText.pipe(
    z
      .string()
      .default(fallback)
      .refine((value) => /^https?:\/\/[^\s]+$/.test(value), { message: "expected an http(s):// URL" }),
  );

const modelId = (fallback: string) =>
  optionalText.pipe(
    z
      .string()
      .default(fallback)
      .refine((value) => /^[\w./:-]+$/.test(value), { message: "expected a model id such as gpt-4o-mini" }),
  );

const environmentSchema = z.object({
  AIML_API_KEY: optionalText.pipe(
    z.string({ message: "required: your API key from https://aimlapi.com/app/keys" }),
  ),
  AIML_BASE_URL: httpUrl("https://api.aimlapi.com/v1"),
  STORE_URL: optionalText.pipe(
    z
      .string()
      .default("sqlite://data/parley.sqlite")
      .refine((value) => /^(sqlite:\/\/.+|rediss?:\/\/.+)$/.test(value), {
        message: "expected sqlite://<file> or redis://host:port",
      }),
  ),
  MODEL_CHAT: modelId(DEFAULT_MODELS.chat),
  MODEL_SEARCH: modelId(DEFAULT_MODELS.search),
  MODEL_REASON: modelId(DEFAULT_MODELS.reason),
  MODEL_ALLOW: optionalText,
  SYSTEM_PROMPT: optionalText,
  MAX_OUTPUT_TOKENS: integer(2048, 16, 100_000),
  LOG_LEVEL: optionalText.pipe(
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ),
  DISCORD_TOKEN: optionalText,
  DISCORD_API_URL: httpUrl("https://discord.com/api"),
  DISCORD_GUILD_ID: optionalText.pipe(z.string().regex(/^\d+$/, "expected a numeric guild id").optional()),
  REGISTER_COMMANDS: optionalText.pipe(z.enum(["0", "1", "true", "false"]).optional()),
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: httpUrl("https://slack.com/api/"),
  PORT: integer(3000, 1, 65_535),
  METRICS_PORT: optionalText.pipe(
    z
      .string()
      .refine((value) => /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 65_535, {
        message: "expected a port from 1 to 65535",
      })
      .transform(Number)
      .optional(),
  ),
  ...policyEnvironment,
  DISCORD_SHARDS: optionalText.pipe(
    z
      .string()
      .default("1")
      .refine(
        (value) => value === "auto" || (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 1000),
        {
          message: 'expected a number of shards from 1 to 1000, or "auto"',
        },
      )
      .transform((value): number | "auto" => (value === "auto" ? "auto" : Number(value))),
  ),
  COMMAND_PREFIX: optionalText.pipe(z.string().default("").superRefine(checkCommandPrefix)),
});

/** A prefix every platform takes: Discord's characters for command names, and Slack's length limit. */
function checkCommandPrefix(prefix: string, context: z.RefinementCtx): void {
  if (!COMMAND_NAME_CHARACTERS.test(prefix)) {
    context.addIssue({
      code: "custom",
      message: 'expected lowercase letters, digits, "-" or "_" (what command names may hold), such as ai-',
    });
    return;
  }
  const longest = COMMANDS.map((command) => slashCommand(command.name, prefix)).sort(
    (first, second) => second.length - first.length,
  )[0];
  if (longest && longest.length > MAX_SLASH_COMMAND_LENGTH) {
    context.addIssue({
      code: "custom",
      message: `too long: ${longest} would be ${longest.length} characters, and commands may have at most ${MAX_SLASH_COMMAND_LENGTH}`,
    });
  }
}

/** How loadConfig judges the environment. */
export interface LoadConfigOptions {
  /** `npm start`: at least one chat platform must be configured, with all it needs (the terminal needs none). */
  requirePlatform?: boolean;
}

/** Validates the environment, reporting every problem at once with the variable's name. */
export function loadConfig(env: Record<string, string | undefined>, options: LoadConfigOptions = {}): Config {
  const parsed = environmentSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? "environment");
        const value = env[name];
        // Never echo secrets back; other values help the admin spot the typo.
        const shown =
          value && !/(TOKEN|KEY|SECRET)$/.test(name) ? `, got "${withoutCredentials(value)}"` : "";
        return `${name}: ${issue.message}${shown}`;
      });
  if (options.requirePlatform) problems.push(...platformProblems(env));
  if (!parsed.success || problems.length > 0) {
    throw new ParleyError(
      "config",
      `Configuration problems (set these in the environment or in .env; .env.example describes each):\n${problems.join("\n")}`,
    );
  }
  const vars = parsed.data;
  const models = { chat: vars.MODEL_CHAT, search: vars.MODEL_SEARCH, reason: vars.MODEL_REASON };
  const allowedModels = vars.MODEL_ALLOW
    ? vars.MODEL_ALLOW.split(",")
        .map((name) => name.trim())
        .filter(Boolean)
    : [models.chat, models.search, models.reason, "gpt-4o-mini"];
  return {
    aimlApiKey: vars.AIML_API_KEY,
    aimlBaseUrl: vars.AIML_BASE_URL.replace(/\/+$/, ""),
    storeUrl: vars.STORE_URL,
    models,
    allowedModels: [...new Set(allowedModels)],
    systemPrompt: vars.SYSTEM_PROMPT ?? DEFAULT_SYSTEM_PROMPT,
    maxOutputTokens: vars.MAX_OUTPUT_TOKENS,
    logLevel: vars.LOG_LEVEL,
    discord: {
      token: vars.DISCORD_TOKEN,
      apiUrl: vars.DISCORD_API_URL.replace(/\/+$/, ""),
      guildId: vars.DISCORD_GUILD_ID,
      // On unless turned off: a newcomer who never ran `npm run register` still sees the commands.
      registerCommandsOnStart: vars.REGISTER_COMMANDS !== "0" && vars.REGISTER_COMMANDS !== "false",
      shards: vars.DISCORD_SHARDS,
    },
    slack: {
      botToken: vars.SLACK_BOT_TOKEN,
      signingSecret: vars.SLACK_SIGNING_SECRET,
      appToken: vars.SLACK_APP_TOKEN,
      apiUrl: vars.SLACK_API_URL.endsWith("/") ? vars.SLACK_API_URL : `${vars.SLACK_API_URL}/`,
      port: vars.PORT,
    },
    ...(vars.METRICS_PORT === undefined ? {} : { metricsPort: vars.METRICS_PORT }),
    policy: policyConfig(vars),
    commandPrefix: vars.COMMAND_PREFIX,
  };
}

/**
 * A URL (or URL-like value) with its user and password replaced by `***`, so it can be shown or logged:
 * `redis://default:secret@redis:6379` → `redis://***@redis:6379`. Everything up to the last `@` counts as
 * credentials, since a password typed without percent-encoding may itself hold `@`, `/` or `:`; a password
 * passed as a query parameter is hidden too.
 */
export function withoutCredentials(value: string): string {
  return value
    .replace(
      /^([a-z][a-z0-9+.-]*:\/\/)?.*@/is,
      (_credentials, scheme: string | undefined) => `${scheme ?? ""}***@`,
    )
    .replace(/([?&](?:password|pass|pwd|secret|token)=)[^&#]*/gi, "$1***");
}

/**
 * The process environment with `.env` (when present) filled in underneath: real variables win. A blank value
 * means "not set" (`.env.example` ships blanks), so it never hides a default, the terminal's quieter one included.
 */
export function readEnvironment(
  processEnv: Record<string, string | undefined>,
  envFile = ".env",
): Record<string, string | undefined> {
  const fromFile: Record<string, string> = {};
  dotenv.config({ path: envFile, processEnv: fromFile, quiet: true });
  const merged = { ...fromFile, ...processEnv };
  return Object.fromEntries(
    Object.entries(merged).filter(([, value]) => value !== undefined && value.trim() !== ""),
  );
}
