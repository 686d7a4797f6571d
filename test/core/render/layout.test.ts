// Laying out a finished reply, and the streaming layout that must end where the finished one does.
import { describe, expect, it } from "vitest";
import { formatSources } from "../../../src/render/footer.ts";
import { layoutReply, splitFooter } from "../../../src/render/layout.ts";
import { splitMessage } from "../../../src/render/split.ts";
import { emptySettledChunks, layoutStreaming } from "../../../src/render/stream-layout.ts";
import { fencesBalanced } from "./chunk-checks.ts";
import { longPythonAnswer, prose, pythonCode, seededRandom } from "./fixtures.ts";

const identity = (markdown: string): string => markdown;

function fortySources(): string {
  return formatSources(
    Array.from({ length: 40 }, (_, index) => ({
      url: `https://example.com/articles/${index + 1}/a-rather-long-slug-for-the-article`,
      title: `Article number ${index + 1} about streaming renderers`,
    })),
  );
}

describe("layoutReply", () => {
  it("puts the footer under the body's last chunk when it fits there", () => {
    const chunks = layoutReply(longPythonAnswer, "**Sources**\n1. [A](https://a.example)", 2000);
    expect(chunks).toHaveLength(3);
    expect(chunks.slice(0, 2)).toEqual(splitMessage(longPythonAnswer, 2000).slice(0, 2));
    expect(chunks[2]).toMatch(/\n\n\*\*Sources\*\*\n1\. \[A\]\(https:\/\/a\.example\)$/);
  });

  it("gives the footer a message of its own rather than cutting it", () => {
    const body = prose(1950, 1);
    const footer = "**Sources**\n1. [A](https://a.example)\n2. [B](https://b.example)";
    expect(layoutReply(body, footer, 2000)).toEqual([body, footer]);
  });

  it("splits a footer longer than a message only between source lines", () => {
    const footer = fortySources();
    expect(footer.length).toBeGreaterThan(2000);
    const chunks = layoutReply("Short answer.", footer, 1000);
    const sourceLines = footer.split("\n").slice(1);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(1000);
    const chunkLines = chunks.flatMap((chunk) => chunk.split("\n"));
    for (const line of sourceLines) expect(chunkLines).toContain(line);
    expect(chunks[0]).toMatch(/^Short answer\.\n\n\*\*Sources\*\*\n1\. /);
  });

  it("cuts a single footer line only when it alone is too long", () => {
    const chunks = splitFooter(`*${"word ".repeat(60).trim()}*\n*short note*`, 100, identity);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(100);
    expect(chunks.at(-1)).toContain("*short note*");
  });
});

describe("layoutStreaming", () => {
  it("fixes chunks only where the finished answer is split, whatever the deltas", () => {
    const answers = [
      longPythonAnswer,
      `\`\`\`ts\n${pythonCode(120)}\n\`\`\``,
      [prose(3000, 2), prose(2500, 5)].join("\n"),
    ];
    const random = seededRandom(11);
    for (const answer of answers) {
      for (const maxLength of [2000, 700, 333]) {
        let settled = emptySettledChunks;
        let streamed = "";
        let fixedBefore: readonly string[] = [];
        while (streamed.length < answer.length) {
          streamed += answer.slice(streamed.length, streamed.length + 1 + Math.floor(random() * 120));
          const layout = layoutStreaming(streamed, settled, maxLength, identity);
          settled = layout.settled;
          // What users see while it streams fits, has whole code blocks, and fixed messages never change.
          for (const shown of [...settled.chunks, layout.live]) {
            expect(shown.length).toBeLessThanOrEqual(maxLength);
            expect(fencesBalanced(shown)).toBe(true);
          }
          expect(settled.chunks.slice(0, fixedBefore.length)).toEqual(fixedBefore);
          fixedBefore = settled.chunks;
        }
        expect(layoutReply(answer, "", maxLength, identity, settled)).toEqual(
          splitMessage(answer, maxLength),
        );
      }
    }
  });

  it("shows a partial code block closed", () => {
    const layout = layoutStreaming("Look:\n```python\nprint(1)\n", emptySettledChunks, 2000, identity);
    expect(layout.live).toBe("Look:\n```python\nprint(1)\n```");
  });
});
