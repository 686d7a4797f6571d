// The text around an answer's body: the numbered Sources list, italic notes, the model line, the cut-off and error lines.
import type { Citation, ReplyResult } from "../types.ts";

/** Shown instead of an answer whose text came back empty (and that has nothing else to show). */
export const EMPTY_ANSWER_TEXT = "(The model returned an empty answer.)";

const MAX_TITLE_CHARS = 120;
const MAX_URL_LABEL_CHARS = 80;

/** Shortens text to `maxChars`, ending in "…", without splitting a surrogate pair. */
function shorten(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let end = maxChars - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end).trimEnd()}…`;
}

/** Escapes brackets and backslashes, which would end a link's text early. */
function escapeLinkText(text: string): string {
  return text.replace(/[\\[\]]/g, "\\$&");
}

/** Only web links become clickable; anything else (javascript:, garbage) is shown as plain text. */
function parseWebUrl(url: string): URL | undefined {
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** `example.com/docs/page` — a readable stand-in for a source without a title. */
function urlLabel(url: URL): string {
  const host = url.hostname.replace(/^www\./, "");
  let path = url.pathname;
  try {
    path = decodeURI(path);
  } catch {
    // A malformed escape: keep the path as sent.
  }
  path = path.replace(/\/+$/, "");
  return shorten(host + path, MAX_URL_LABEL_CHARS);
}

function sourceLine(citation: Citation, index: number): string {
  const title = citation.title?.replace(/\s+/g, " ").trim() ?? "";
  const url = parseWebUrl(citation.url);
  if (!url) return `${index + 1}. ${escapeLinkText(shorten(title || citation.url.trim(), MAX_TITLE_CHARS))}`;
  // Parentheses would end the Markdown link target early.
  const target = url.href.replace(/\(/g, "%28").replace(/\)/g, "%29");
  const label = title ? shorten(title, MAX_TITLE_CHARS) : urlLabel(url);
  return `${index + 1}. [${escapeLinkText(label)}](${target})`;
}

/** A "**Sources**" block with one numbered link per citation (`1. [Title](url)`), or "" when there are none. */
export function formatSources(citations: readonly Citation[]): string {
  if (citations.length === 0) return "";
  return ["**Sources**", ...citations.map(sourceLine)].join("\n");
}

/** One note in italics on a single line. */
function italicLine(note: string): string {
  return `*${note.replace(/\s+/g, " ").replace(/[\\*]/g, "\\$&")}*`;
}

/** The footer's last line, naming the model that answered: "*Model: gpt-4o-mini*". */
export function modelLine(model: string): string {
  return italicLine(`Model: ${model}`);
}

/**
 * Splits a finished reply into the body (the answer, which may be cut between messages) and the footer (Sources,
 * then notes, then the model line, never cut). An answer with no text, Sources or notes gets `EMPTY_ANSWER_TEXT`
 * as its body.
 */
export function composeReplyText(result: ReplyResult): { body: string; footer: string } {
  const notes = result.notes
    .map((note) => note.trim())
    .filter((note) => note !== "")
    .map(italicLine);
  const sources = formatSources(result.citations);
  const lines = result.model ? [...notes, modelLine(result.model)] : notes;
  const footer = [sources, lines.join("\n")].filter((part) => part !== "").join("\n\n");
  const body = result.text.trimEnd();
  if (body.trim() === "") {
    const nothingElse = sources === "" && notes.length === 0;
    return { body: nothingElse ? EMPTY_ANSWER_TEXT : "", footer };
  }
  return { body, footer };
}

/** The line appended to a partial answer when the stream failed: "⚠️ *The answer was cut off: …*". */
export function cutOffNotice(userMessage: string): string {
  return `⚠️ *The answer was cut off: ${userMessage.trim().replace(/[\\*]/g, "\\$&")}*`;
}

/** The footer of a partial answer: the cut-off notice, then the model line when a model was answering. */
export function cutOffFooter(userMessage: string, model: string | undefined): string {
  return model ? `${cutOffNotice(userMessage)}\n${modelLine(model)}` : cutOffNotice(userMessage);
}

/** The message shown for an error that arrived before any answer text. */
export function errorMessageText(userMessage: string): string {
  return `⚠️ ${userMessage.trim()}`;
}
