// Markdown → Slack mrkdwn: formatting kept, & < > escaped everywhere, mentions and broadcasts inert.
import { describe, expect, it } from "vitest";
import { escapeSlackText, inertMarkdown, markdownToSlack, shorten } from "../../../adapters/slack/format.ts";

describe("markdownToSlack", () => {
  it("escapes &, < and > in text and in code", () => {
    expect(markdownToSlack("a < b & c > d")).toBe("a &lt; b &amp; c &gt; d");
    expect(markdownToSlack("```js\nif (a < b && c > d) {}\n```")).toBe(
      "```\nif (a &lt; b &amp;&amp; c &gt; d) {}\n```",
    );
    expect(markdownToSlack("use `x<y>`")).toBe("use `x&lt;y&gt;`");
  });

  it("leaves no raw control sequence: broadcasts, user, channel and group mentions", () => {
    const inputs = [
      "<!channel> <!here> <!everyone>",
      "<@U123> <@U123|ann> <#C1|general> <!subteam^S1|@team>",
      "&lt;@U55&gt; &lt;!channel&gt;",
      "```\n<!channel>\n```",
      "[<@U1>](https://example.com)",
    ];
    for (const input of inputs) expect(markdownToSlack(input), input).not.toMatch(/<[@!#]/);
    expect(markdownToSlack("hi <@U123>")).toBe("hi &lt;@U123&gt;");
  });

  it("defuses the literal broadcast words but not e-mail addresses or URLs", () => {
    expect(markdownToSlack("hey @here and @channel")).toBe("hey @\u2060here and @\u2060channel");
    expect(markdownToSlack("mail ops@here.com")).not.toContain("\u2060");
  });

  it("keeps Markdown formatting as Slack formatting", () => {
    expect(markdownToSlack("**bold** and _it_")).toContain("*bold*");
    expect(markdownToSlack("[docs](https://example.com/a?b=1&c=2)")).toBe(
      "<https://example.com/a?b=1&amp;c=2|docs>",
    );
    expect(markdownToSlack("<https://example.com/x>")).toBe("<https://example.com/x|https://example.com/x>");
    expect(markdownToSlack("> quoted\n> > nested")).toMatch(/^> quoted/);
    expect(markdownToSlack("- one\n- two")).toBe("•   one\n•   two");
  });

  it("returns an empty string for blank input", () => {
    expect(markdownToSlack("  \n")).toBe("");
  });
});

describe("escapeSlackText", () => {
  it("escapes plain text and defuses broadcasts", () => {
    expect(escapeSlackText("<!here> & @everyone")).toBe("&lt;!here&gt; &amp; @\u2060everyone");
  });
});

describe("inertMarkdown (native streaming's markdown_text)", () => {
  it("keeps Markdown, and no spelling of a mention or broadcast survives decoding", () => {
    const joiner = "\u2060";
    expect(inertMarkdown("**Hi** <@U1>, see `code`")).toBe(`**Hi** <${joiner}@U1>, see \`code\``);
    // Character references are shown as written: once decoded they would spell "<", "@" or "!".
    for (const spelled of [
      "&lt;@U1&gt;",
      "<&#64;U1>",
      "&lt;&#33;channel&gt;",
      "&lt;&commat;U1&gt;",
      "&#64;here",
    ]) {
      const inert = inertMarkdown(spelled);
      expect(inert, spelled).toBe(spelled.replaceAll("&", "&amp;"));
    }
    // A backslash-escaped mention or broadcast is defused like a plain one.
    expect(inertMarkdown("<\\@U1> <\\!here> \\@here")).toBe(
      `<${joiner}\\@U1> <${joiner}\\!here> \\@${joiner}here`,
    );
  });
});

describe("shorten", () => {
  it("cuts on a word boundary with an ellipsis", () => {
    expect(shorten("alpha beta gamma delta", 15)).toBe("alpha beta…");
    expect(shorten("abcdefghijklmnop", 6)).toBe("abcde…");
    expect(shorten("short", 12)).toBe("short");
  });
});
