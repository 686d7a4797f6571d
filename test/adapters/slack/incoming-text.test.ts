// Slack message text → the plain prompt the model reads.
import { describe, expect, it } from "vitest";
import { mentionsUser, slackTextToPlain } from "../../../adapters/slack/incoming-text.ts";

describe("slackTextToPlain", () => {
  it("removes the bot's mention and keeps the question", () => {
    expect(slackTextToPlain("<@UBOT> what is 2+2?", "UBOT")).toBe("what is 2+2?");
  });

  it("makes mentions, channels, broadcasts and links readable", () => {
    expect(slackTextToPlain("ask <@U1|ann> or <@U2> in <#C1|general>, <!here>", "UBOT")).toBe(
      "ask @ann or @U2 in #general, @here",
    );
    expect(slackTextToPlain("see <https://example.com|the docs> and <https://x.org>")).toBe(
      "see the docs (https://example.com) and https://x.org",
    );
    expect(slackTextToPlain("mail <mailto:a@b.com|a@b.com>")).toBe("mail a@b.com");
  });

  it("decodes Slack's entities", () => {
    expect(slackTextToPlain("a &lt; b &amp;&amp; c &gt; d")).toBe("a < b && c > d");
  });
});

describe("mentionsUser", () => {
  it("finds both mention forms", () => {
    expect(mentionsUser("hi <@UBOT>", "UBOT")).toBe(true);
    expect(mentionsUser("hi <@UBOT|parley>", "UBOT")).toBe(true);
    expect(mentionsUser("hi <@UOTHER>", "UBOT")).toBe(false);
    expect(mentionsUser("hi <@UBOT>", undefined)).toBe(false);
  });
});
