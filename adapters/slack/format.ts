// Turns the model's Markdown (and users' plain text) into Slack mrkdwn that shows as written and pings nobody.
import slackify from "slackify-markdown";

/**
 * Stand-ins for "&", "<" and ">" while slackify-markdown parses. The library keeps `<@U…>`, `<#C…>` and anything
 * that parses as HTML (such as `<!channel>`) raw, copies code verbatim and decodes entities (`&lt;@U1&gt;` becomes a
 * mention again), so a raw character from the model could ping. Private-use characters pass through parsing
 * untouched, in text and code alike, and become entities afterwards.
 */
const STAND_INS = [
  { character: "&", standIn: "\uE000", entity: "&amp;", inUrl: "%EE%80%80", urlForm: "&amp;" },
  { character: "<", standIn: "\uE001", entity: "&lt;", inUrl: "%EE%80%81", urlForm: "%3C" },
  { character: ">", standIn: "\uE002", entity: "&gt;", inUrl: "%EE%80%82", urlForm: "%3E" },
] as const;
/** Private-use characters already in the model's text would turn into entities: replace them first. */
const STAND_IN_RANGE = /[\uE000-\uE002]/g;
/** `<https://…>` autolinks: written bare instead, GFM still links them, and no "<" is needed. */
const ANGLE_AUTOLINK = /<((?:https?:\/\/|mailto:)[^\s<>]+)>/g;
/** A line's leading blockquote markers (the only ">" Markdown needs), or any other ">". */
const QUOTE_MARKERS_OR_GREATER_THAN = /^([ \t]*(?:>[ \t]?)+)|>/gm;
/** A raw "<" that would open a mention or broadcast; none should survive, this is the last guard. */
const MENTION_OPENING = /<([@#!])/g;
/** Joins "@" to the word after it without showing anything, so the word is no longer a broadcast keyword. */
const WORD_JOINER = "\u2060";
/** The words Slack may treat as @channel / @here / @everyone broadcasts. */
const BROADCAST_WORD = /(?<![\w/.@-])@(channel|here|everyone)\b/gi;

/** Converts Markdown to Slack mrkdwn: formatting kept, `&`, `<`, `>` escaped, mentions and broadcasts inert. */
export function markdownToSlack(markdown: string): string {
  if (markdown.trim() === "") return "";
  const [ampersand, lessThan, greaterThan] = STAND_INS;
  const shielded = markdown
    .replace(STAND_IN_RANGE, "\uFFFD")
    .replace(ANGLE_AUTOLINK, "$1")
    .replaceAll(ampersand.character, ampersand.standIn)
    .replaceAll(lessThan.character, lessThan.standIn)
    .replace(QUOTE_MARKERS_OR_GREATER_THAN, (_match, markers?: string) => markers ?? greaterThan.standIn);
  let mrkdwn = slackify(shielded);
  for (const { standIn, entity, inUrl, urlForm } of STAND_INS) {
    mrkdwn = mrkdwn.replaceAll(inUrl, urlForm).replaceAll(standIn, entity);
  }
  return defuseBroadcastWords(mrkdwn.replace(MENTION_OPENING, "&lt;$1")).trimEnd();
}

/** Escapes plain text (a user's question, a status line) for mrkdwn: nothing in it formats, links or pings. */
export function escapeSlackText(text: string): string {
  const escaped = text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
  return defuseBroadcastWords(escaped);
}

/** Keeps literal "@channel", "@here" and "@everyone" readable but never a broadcast. */
export function defuseBroadcastWords(text: string): string {
  return text.replace(BROADCAST_WORD, (_match, word: string) => `@${WORD_JOINER}${word}`);
}

/** Shortens text to a limit on a word boundary where one is near, ending with "…". */
export function shorten(text: string, maxCharacters: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= maxCharacters) return flat;
  const cut = flat.slice(0, maxCharacters - 1);
  const lastSpace = cut.lastIndexOf(" ");
  return `${lastSpace > maxCharacters * 0.6 ? cut.slice(0, lastSpace) : cut}…`;
}

/** A mention's opening in parley's Markdown: `<@U…>`, `<#C…>`, `<!channel>`, `<!subteam^…>`, even backslash-escaped. */
const MARKDOWN_MENTION_OPENING = /<(?=\\?[@#!])/g;

/** The `&` of a character reference (`&lt;`, `&#64;`, `&commat;`), which Markdown decodes. */
const CHARACTER_REFERENCE = /&(?=#?[a-z0-9]+;)/gi;

/**
 * Keeps Markdown as Markdown (for Slack's markdown_text, which renders it itself) but makes mentions and broadcasts
 * inert: an invisible joiner after the "<" of `<@U1>`, `<!channel>`, and after the "@" of "@here", and character
 * references shown as written. Works on any piece whose last word cannot still become a mention (see `pieceEnd`),
 * so a streamed answer can be made inert one appended piece at a time.
 */
export function inertMarkdown(markdown: string): string {
  // A character reference could spell a mention's "<" or "@" once decoded: it is shown as written instead.
  const literal = markdown.replace(CHARACTER_REFERENCE, "&amp;");
  return defuseBroadcastWords(literal.replace(MARKDOWN_MENTION_OPENING, `<${WORD_JOINER}`));
}
