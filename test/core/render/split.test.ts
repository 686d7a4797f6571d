// Splitting Markdown into messages: limits, good split points, whole words, and code fences that stay valid.
import { describe, expect, it } from "vitest";
import { closeOpenFence, splitMessage } from "../../../src/render/split.ts";
import { fenceLines, fencesBalanced, reassemble, wordsOf } from "./chunk-checks.ts";
import { longPythonAnswer, prose, pythonCode, seededRandom } from "./fixtures.ts";

describe("splitMessage", () => {
  it("keeps a text that fits as one message, unchanged", () => {
    expect(splitMessage("Hello **world**", 2000)).toEqual(["Hello **world**"]);
  });

  it("returns no message for blank text", () => {
    expect(splitMessage(" \n\n ", 2000)).toEqual([]);
  });

  it("splits at the paragraph break rather than mid-paragraph", () => {
    const first = prose(120, 1);
    const second = prose(120, 2);
    expect(splitMessage(`${first}\n\n${second}`, 200)).toEqual([first, second]);
  });

  it("prefers a line break over a space", () => {
    const lines = [prose(70, 1), prose(70, 2), prose(70, 3)];
    const chunks = splitMessage(lines.join("\n"), 160);
    expect(chunks).toEqual([`${lines[0]}\n${lines[1]}`, lines[2]]);
  });

  it("never splits a word, and loses none, at any limit", () => {
    const text = [prose(900, 4), prose(300, 5), prose(1200, 6)].join("\n\n");
    const words = wordsOf(text);
    for (let maxLength = 20; maxLength <= 400; maxLength += 7) {
      const chunks = splitMessage(text, maxLength);
      for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(maxLength);
      expect(chunks.flatMap(wordsOf)).toEqual(words);
      expect(reassemble(text, chunks)).toBe(text);
    }
  });

  it("cuts a word only when it alone is longer than the limit", () => {
    const url = `https://example.com/${"a".repeat(250)}`;
    const chunks = splitMessage(`See ${url} for more`, 100);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(100);
    expect(chunks[0]).toBe("See");
    expect(chunks.slice(1).join("")).toBe(`${url} for more`);
  });

  it("does not cut an emoji in half when it must cut a long word", () => {
    const chunks = splitMessage("😀".repeat(30), 9);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(9);
      expect(chunk).toMatch(/^(😀)+$/u);
    }
    expect(chunks.join("")).toBe("😀".repeat(30));
  });

  it("splits a 4,500-character answer with a python block into 3 valid messages", () => {
    expect(longPythonAnswer.length).toBeGreaterThan(4400);
    expect(longPythonAnswer.length).toBeLessThan(4700);
    const chunks = splitMessage(longPythonAnswer, 2000);
    expect(chunks).toHaveLength(3);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(2000);
      expect(fencesBalanced(chunk)).toBe(true);
    }
    // The code block spans the second split: closed at the end of message 2, reopened as python in message 3.
    expect(chunks[0]).toMatch(/Here is the code:$/);
    expect(chunks[1]).toMatch(/^```python\ndef process/);
    expect(chunks[1]).toMatch(/\n```$/);
    expect(chunks[2]).toMatch(/^```python\n {4}result_/);
    expect(reassemble(longPythonAnswer, chunks)).toBe(longPythonAnswer);
  });

  it("counts the added fence lines against the limit, at any limit", () => {
    const text = `Intro.\n\n~~~ts\n${pythonCode(40)}\n~~~\n\nMiddle.\n\n\`\`\`\n${pythonCode(20)}\n\`\`\`\nEnd.`;
    for (let maxLength = 90; maxLength <= 1500; maxLength += 37) {
      const chunks = splitMessage(text, maxLength);
      for (const chunk of chunks) {
        expect(chunk.length).toBeLessThanOrEqual(maxLength);
        expect(fencesBalanced(chunk)).toBe(true);
      }
      expect(reassemble(text, chunks)).toBe(text);
    }
  });

  it("reopens a ~~~ fence with its own marker and language", () => {
    const chunks = splitMessage(`~~~ts\n${pythonCode(30)}\n~~~`, 800);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.startsWith("~~~ts\n")).toBe(true);
      expect(chunk.endsWith("\n~~~")).toBe(true);
    }
  });

  it("keeps code indentation when a split falls inside a block", () => {
    const chunks = splitMessage(`\`\`\`python\n${pythonCode(40)}\n\`\`\``, 1000);
    for (const chunk of chunks.slice(1)) expect(chunk).toMatch(/^```python\n( {4}result_|def )/);
  });

  it("closes an answer's unclosed fence at its end", () => {
    const chunks = splitMessage("Look:\n```js\nconst a = 1;", 2000);
    expect(chunks).toEqual(["Look:\n```js\nconst a = 1;\n```"]);
  });

  it("fits a format that makes text longer", () => {
    const escapeAmpersands = (markdown: string): string => markdown.replaceAll("&", "&amp;");
    const text = Array.from({ length: 200 }, (_, index) => `R&D&Q&A${index}`).join(" ");
    const chunks = splitMessage(text, 150, escapeAmpersands);
    for (const chunk of chunks) expect(escapeAmpersands(chunk).length).toBeLessThanOrEqual(150);
    expect(chunks.flatMap(wordsOf)).toEqual(wordsOf(text));
  });

  it("splits random mixes of prose and code validly", () => {
    const random = seededRandom(7);
    for (let round = 0; round < 30; round++) {
      const parts: string[] = [];
      for (let part = 0; part < 6; part++) {
        parts.push(
          random() < 0.4
            ? `\`\`\`py\n${pythonCode(3 + Math.floor(random() * 30))}\n\`\`\``
            : prose(50 + random() * 600, part),
        );
      }
      const text = parts.join(random() < 0.5 ? "\n\n" : "\n");
      const maxLength = 100 + Math.floor(random() * 1900);
      const chunks = splitMessage(text, maxLength);
      for (const chunk of chunks) {
        expect(chunk.length).toBeLessThanOrEqual(maxLength);
        expect(fencesBalanced(chunk)).toBe(true);
      }
      expect(reassemble(text, chunks)).toBe(text);
    }
  });
});

describe("closeOpenFence", () => {
  it("closes a block left open by a partial answer", () => {
    expect(closeOpenFence("Try this:\n```python\nprint(1)\n")).toBe("Try this:\n```python\nprint(1)\n```");
  });

  it("leaves text with closed blocks as it is (trailing space aside)", () => {
    expect(closeOpenFence("```\nx\n```\nafter  ")).toBe("```\nx\n```\nafter");
  });

  it("closes with the marker that opened the block", () => {
    expect(fenceLines(closeOpenFence("~~~~\ncode"))).toEqual(["~~~~", "~~~~"]);
    expect(closeOpenFence("````md\n```\ninner")).toBe("````md\n```\ninner\n````");
  });
});
