// Token counts: a free upper bound until a count must be exact, and the tokenizer loaded only then.
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { expect, test } from "vitest";
import {
  countMessageTokens,
  countsExactly,
  loadExactCounting,
  MESSAGE_OVERHEAD_TOKENS,
} from "../../src/context/count-tokens.ts";
import { fitToWindow } from "../../src/context/trim.ts";

const texts = {
  english: "The quick brown fox jumps over the lazy dog. ".repeat(20),
  code: "function add(a: number, b: number): number {\n  return a + b;\n}\n".repeat(10),
  hex: "0x7f3a9b2c4d5e6f708192a3b4c5d6e7f8 ".repeat(10),
  chinese: "我们的团队正在使用这个机器人来回答问题。".repeat(10),
  emoji: "🎉🚀👍🏽❤️😀".repeat(20),
  russian: "Быстрая коричневая лиса прыгает через ленивую собаку. ".repeat(10),
};

const message = (role: "user" | "assistant", content: string) => ({
  role,
  content,
  tokens: countMessageTokens(content),
});

test("before the tokenizer is loaded a count is a bound: never below the real one", () => {
  expect(countsExactly()).toBe(false);
  for (const [kind, text] of Object.entries(texts)) {
    expect(countMessageTokens(text), kind).toBeGreaterThanOrEqual(
      countTokens(text) + MESSAGE_OVERHEAD_TOKENS,
    );
  }
});

test("a history whose bound fits is sent whole without loading the tokenizer; one that does not is counted exactly", async () => {
  const english = texts.english;
  const history = [message("user", english), message("assistant", english)];
  const window = {
    systemPrompt: "You are parley.",
    current: { role: "user" as const, content: "and now?" },
    outputBudgetTokens: 100,
  };
  const roomy = await fitToWindow({ ...window, history, contextWindowTokens: 10_000 });
  expect(roomy.droppedMessages).toBe(0);
  expect(countsExactly()).toBe(false);

  // A window the two messages fit only by their exact count (about 200 tokens each), not by the bound (900 each).
  const exactFit = 256 + 100 + countTokens(english) * 2 + 100;
  expect(exactFit).toBeLessThan(countMessageTokens(english) * 2);
  const tight = await fitToWindow({ ...window, history, contextWindowTokens: exactFit });
  expect(countsExactly()).toBe(true);
  expect(tight.droppedMessages).toBe(0);
  expect(tight.messages.map((entry) => entry.content)).toEqual([
    "You are parley.",
    english,
    english,
    "and now?",
  ]);
});

test("text that spells a special token is counted as text, before and after the tokenizer is loaded", async () => {
  const text = "the model wrote <|endoftext|> and went on";
  const bound = countMessageTokens(text);
  await loadExactCounting();
  const exact = countMessageTokens(text);
  expect(exact).toBeGreaterThan(MESSAGE_OVERHEAD_TOKENS);
  expect(exact).toBeLessThanOrEqual(bound);
});
