// Structured logging: one pino logger that scrubs secrets, by field name and by value, from every line it writes.
import { type Logger, pino } from "pino";

export type { Logger };

/** Field paths whose values never reach a log line. */
const REDACTED_PATHS = [
  "apiKey",
  "token",
  "authorization",
  "headers.authorization",
  "*.apiKey",
  "*.token",
  "*.authorization",
  "aimlApiKey",
  "signingSecret",
  "botToken",
  "appToken",
];

/** What a secret is replaced with. */
export const REDACTED = "[redacted]";

/** Secrets shorter than this are not scrubbed: replacing every "abc" would garble each line and hide nothing. */
const MIN_SCRUBBED_CHARACTERS = 4;

/** Every form a secret may take in a JSON log line: as is, JSON-escaped, and URL-encoded or decoded. */
function secretForms(secret: string): string[] {
  const forms = new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]);
  try {
    forms.add(decodeURIComponent(secret));
  } catch {
    // Not URL-encoded: the raw form is already there.
  }
  return [...forms].filter((form) => form.length >= MIN_SCRUBBED_CHARACTERS);
}

/** Characters a secret value is made of: a match that continues into one of them is part of another word. */
const WORD_CHARACTER = "[A-Za-z0-9_\\-]";

/**
 * A function that replaces each of the secrets' values with "[redacted]" wherever it stands whole in a text (not
 * inside a longer word: a short test key "test" must not turn "attested" into "at[redacted]ed").
 */
export function createSecretScrubber(secrets: readonly (string | undefined)[]): (text: string) => string {
  const forms = [...new Set(secrets.flatMap((secret) => (secret ? secretForms(secret) : [])))]
    // Longest first, so a secret that contains another is replaced whole.
    .sort((left, right) => right.length - left.length);
  if (forms.length === 0) return (text) => text;
  const whole = new RegExp(
    forms
      .map(
        (form) => `(?<!${WORD_CHARACTER})${form.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?!${WORD_CHARACTER})`,
      )
      .join("|"),
    "g",
  );
  return (text) => text.replace(whole, REDACTED);
}

/**
 * Creates the process logger (JSON lines on stderr). Known secret fields are redacted by name, and the values in
 * `secrets` are scrubbed from the finished line, so a key inside an error message or a stack never gets out.
 */
export function createLogger(
  level: string,
  destination: NodeJS.WritableStream = process.stderr,
  secrets: readonly (string | undefined)[] = [],
): Logger {
  const scrub = createSecretScrubber(secrets);
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: REDACTED },
      base: { app: "parley" },
      hooks: { streamWrite: scrub },
    },
    destination,
  );
}

/** A logger that drops everything (tests). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
