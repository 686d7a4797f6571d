// Turns the text of a Slack message (entities, <@U…>, <url|label>) into the plain text the model should read.

/** Slack's control sequences: `<@U1>`, `<@U1|name>`, `<#C1|general>`, `<!here>`, `<https://x|label>`. */
const CONTROL_SEQUENCE = /<([^<>]+)>/g;

/** Plain text of one control sequence's inside ("@U1|ann" → "@ann"); empty for a mention of the bot itself. */
function plainControlSequence(inside: string, botUserId: string | undefined): string {
  const bar = inside.indexOf("|");
  const target = bar === -1 ? inside : inside.slice(0, bar);
  const label = bar === -1 ? undefined : inside.slice(bar + 1);
  if (target.startsWith("@")) {
    if (botUserId !== undefined && target === `@${botUserId}`) return "";
    return label ? `@${label.replace(/^@/, "")}` : target;
  }
  if (target.startsWith("#")) return label ? `#${label}` : target;
  if (target.startsWith("!")) {
    // <!here>, <!subteam^S1|@team>, <!date^1700000000^{date}|Nov 14>: the readable part is the label or the keyword.
    if (label) return label;
    return `@${target.slice(1).split("^")[0] ?? ""}`;
  }
  if (label && label !== target && label !== target.replace(/^mailto:/, "")) return `${label} (${target})`;
  return target.replace(/^mailto:/, "");
}

/** Decodes the three entities Slack escapes in message text. */
function decodeSlackEntities(text: string): string {
  return text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

/** The plain text of a Slack message: the bot's own mention removed, other mentions and links made readable. */
export function slackTextToPlain(text: string, botUserId?: string): string {
  const plain = text.replace(CONTROL_SEQUENCE, (_sequence, inside: string) =>
    plainControlSequence(inside, botUserId),
  );
  return decodeSlackEntities(plain)
    .replace(/[ \t]{2,}/g, " ")
    .trim();
}

/** True when the text mentions this bot user (`<@U1>` or `<@U1|name>`). */
export function mentionsUser(text: string, userId: string | undefined): boolean {
  if (userId === undefined) return false;
  return text.includes(`<@${userId}>`) || text.includes(`<@${userId}|`);
}
