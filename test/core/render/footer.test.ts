// The Sources list and notes under an answer: numbered clickable links, escaped titles, italic notes.
import { describe, expect, it } from "vitest";
import {
  composeReplyText,
  cutOffFooter,
  cutOffNotice,
  EMPTY_ANSWER_TEXT,
  formatSources,
} from "../../../src/render/footer.ts";

describe("formatSources", () => {
  it("numbers one clickable link per citation under a bold heading", () => {
    const sources = formatSources([
      { url: "https://nodejs.org/en/blog", title: "Node.js Blog" },
      { url: "https://example.com/a", title: "Example A" },
    ]);
    expect(sources).toBe(
      "**Sources**\n1. [Node.js Blog](https://nodejs.org/en/blog)\n2. [Example A](https://example.com/a)",
    );
  });

  it("is empty without citations", () => {
    expect(formatSources([])).toBe("");
  });

  it("labels a source without a title by its host and path", () => {
    expect(formatSources([{ url: "https://www.example.com/docs/guide/" }])).toBe(
      "**Sources**\n1. [example.com/docs/guide](https://www.example.com/docs/guide/)",
    );
  });

  it("escapes brackets in titles and parentheses in links so the link stays whole", () => {
    const sources = formatSources([
      { url: "https://en.wikipedia.org/wiki/Rust_(programming_language)", title: "Rust [language] \\ wiki" },
    ]);
    expect(sources).toContain(
      "1. [Rust \\[language\\] \\\\ wiki](https://en.wikipedia.org/wiki/Rust_%28programming_language%29)",
    );
  });

  it("does not make links of addresses that are not web pages", () => {
    const sources = formatSources([{ url: "javascript:alert(1)", title: "Click" }, { url: "not a url" }]);
    expect(sources).toBe("**Sources**\n1. Click\n2. not a url");
  });

  it("puts a multi-line title on one line and shortens a very long one", () => {
    const sources = formatSources([{ url: "https://example.com", title: `A\n  title ${"x".repeat(300)}` }]);
    const line = sources.split("\n")[1] ?? "";
    expect(line.startsWith("1. [A title xxx")).toBe(true);
    expect(line).toContain("…](https://example.com/)");
    expect(line.length).toBeLessThan(200);
  });
});

describe("composeReplyText", () => {
  it("puts the Sources then each note in italics on its own line in the footer", () => {
    const { body, footer } = composeReplyText({
      text: "The answer [1].\n",
      citations: [{ url: "https://example.com/a", title: "A" }],
      notes: ["Skipped photo.png: too large.", "Answered by the *fallback* model."],
    });
    expect(body).toBe("The answer [1].");
    expect(footer).toBe(
      "**Sources**\n1. [A](https://example.com/a)\n\n*Skipped photo.png: too large.*\n*Answered by the \\*fallback\\* model.*",
    );
  });

  it("ends the footer with the model that answered, in italics, after the Sources and notes", () => {
    const { body, footer } = composeReplyText({
      text: "The answer [1].",
      citations: [{ url: "https://example.com/a", title: "A" }],
      notes: ["Skipped photo.png: too large."],
      model: "gpt-4o-mini-2024-07-18",
    });
    expect(body).toBe("The answer [1].");
    expect(footer).toBe(
      "**Sources**\n1. [A](https://example.com/a)\n\n*Skipped photo.png: too large.*\n*Model: gpt-4o-mini-2024-07-18*",
    );
  });

  it("puts the model line after the Sources, apart from them, when there are no notes", () => {
    expect(
      composeReplyText({
        text: "Hi",
        citations: [{ url: "https://example.com/a", title: "A" }],
        notes: [],
        model: "openai/o4-mini-2025-04-16",
      }).footer,
    ).toBe("**Sources**\n1. [A](https://example.com/a)\n\n*Model: openai/o4-mini-2025-04-16*");
    expect(composeReplyText({ text: "Hi", citations: [], notes: [], model: "gpt-4o" })).toEqual({
      body: "Hi",
      footer: "*Model: gpt-4o*",
    });
  });

  it("escapes asterisks in a model id so the line stays in italics", () => {
    expect(composeReplyText({ text: "Hi", citations: [], notes: [], model: "lab/model*2" }).footer).toBe(
      "*Model: lab/model\\*2*",
    );
  });

  it("still says the answer was empty when only the model line would show", () => {
    expect(composeReplyText({ text: " ", citations: [], notes: [], model: "gpt-4o" })).toEqual({
      body: EMPTY_ANSWER_TEXT,
      footer: "*Model: gpt-4o*",
    });
  });

  it("has no footer without citations or notes", () => {
    expect(composeReplyText({ text: "Hi", citations: [], notes: [" "] })).toEqual({ body: "Hi", footer: "" });
  });

  it("says the answer was empty when there is nothing at all to show", () => {
    expect(composeReplyText({ text: "  \n", citations: [], notes: [] })).toEqual({
      body: EMPTY_ANSWER_TEXT,
      footer: "",
    });
    expect(EMPTY_ANSWER_TEXT).toBe("(The model returned an empty answer.)");
  });

  it("shows only the notes of a reply that has no text but has notes", () => {
    expect(composeReplyText({ text: "", citations: [], notes: ["Conversation cleared."] })).toEqual({
      body: "",
      footer: "*Conversation cleared.*",
    });
  });
});

describe("cutOffNotice", () => {
  it("says the answer was cut off and why", () => {
    expect(cutOffNotice("The provider timed out.")).toBe(
      "⚠️ *The answer was cut off: The provider timed out.*",
    );
  });

  it("is followed by the model line when a model was answering", () => {
    expect(cutOffFooter("The provider timed out.", "gpt-4o")).toBe(
      "⚠️ *The answer was cut off: The provider timed out.*\n*Model: gpt-4o*",
    );
    expect(cutOffFooter("The provider timed out.", undefined)).toBe(
      "⚠️ *The answer was cut off: The provider timed out.*",
    );
  });
});
