// What each message action asks the model, and how much of the conversation a summary reads.
import { expect, test } from "vitest";
import { countMessageTokens } from "../../src/context/count-tokens.ts";
import {
  findMessageAction,
  MESSAGE_ACTIONS,
  messageActionPrompt,
  SUMMARY_CONTEXT_TOKENS,
} from "../../src/message-actions.ts";

test("the three actions, with menu titles both platforms accept", () => {
  expect(MESSAGE_ACTIONS.map((action) => action.title)).toEqual([
    "Explain",
    "Summarize",
    "Translate to English",
  ]);
  for (const action of MESSAGE_ACTIONS) expect(action.title.length).toBeLessThanOrEqual(32);
});

test("explain and translate quote only the target message", async () => {
  const translate = findMessageAction("Translate to English");
  if (!translate) throw new Error("no translate action");
  const prompt = await messageActionPrompt(translate, { author: "Ana", text: "¿Dónde está la reunión?" }, [
    { author: "Bo", text: "earlier" },
  ]);
  expect(prompt).toMatch(/^Translate the following message into English/);
  expect(prompt).toContain("Ana: ¿Dónde está la reunión?");
  expect(prompt).not.toContain("earlier");
});

test("a summary reads the earlier messages oldest first, keeping the newest that fit the budget", async () => {
  const summarize = findMessageAction("summarize");
  if (!summarize) throw new Error("no summarize action");
  const filler = "word ".repeat(2_000);
  const earlierNewestFirst = [
    { author: "Bo", text: "newest point" },
    ...Array.from({ length: 20 }, (_, index) => ({ author: "Cy", text: `${filler} old ${index}` })),
  ];
  const prompt = await messageActionPrompt(
    summarize,
    { author: "Ana", text: "so, decided?" },
    earlierNewestFirst,
  );
  const lines = prompt.split("\n");
  expect(lines.at(-1)).toBe("Ana (selected): so, decided?");
  expect(lines.at(-2)).toBe("Bo: newest point");
  expect(prompt).toContain("old 0");
  expect(prompt).not.toContain("old 19");
  expect(countMessageTokens(prompt)).toBeLessThanOrEqual(SUMMARY_CONTEXT_TOKENS + 200);
});
