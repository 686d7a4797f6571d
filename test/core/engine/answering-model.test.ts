// Every answer ends by naming the model that answered it, through the engine and the shared renderer.
import { afterEach, describe, expect, it } from "vitest";
import { renderReply } from "../../../src/render/render-reply.ts";
import type { ReplySurface } from "../../../src/render/surface.ts";
import type { Turn } from "../../../src/types.ts";
import { type EngineHarness, startEngineHarness, TEST_KEY } from "../../support/engine-harness.ts";
import { copyDefaultFakeModels } from "../../support/fake-aimlapi.ts";

let harness: EngineHarness;
afterEach(async () => {
  await harness?.close();
});

/** Runs a turn through the engine and the shared renderer; returns the text of each message a user sees. */
async function shown(turn: Partial<Turn> & { text: string }): Promise<string[]> {
  const texts: string[] = [];
  const surface: ReplySurface = {
    maxMessageLength: 2000,
    editIntervalMs: 0,
    async post(text) {
      texts.push(text);
      return { id: String(texts.length - 1) };
    },
    async edit(message, text) {
      texts[Number(message.id)] = text;
    },
  };
  await renderReply(
    harness.parley.engine.reply({
      key: TEST_KEY,
      author: { id: "U1", displayName: "Ada", isBot: false },
      kind: "ask",
      ...turn,
    }),
    surface,
  );
  return texts;
}

describe("the model line", () => {
  it("names, under each turn of one conversation, the model that answered that turn", async () => {
    harness = await startEngineHarness();
    expect(await shown({ kind: "reason", text: "think hard" })).toEqual([
      "Echo: Ada: think hard\n\n*Model: o4-mini-2025-04-16*",
    ]);
    expect(await shown({ kind: "follow-up", text: "and plainly?" })).toEqual([
      "Echo: Ada: and plainly?\n\n*Model: gpt-4.1-mini-2025-04-14*",
    ]);
    harness.fake.enqueue({
      text: "Node 24 [1].",
      annotations: [{ url: "https://nodejs.org/en/about/previous-releases", title: "Node.js releases" }],
    });
    expect(await shown({ kind: "search", text: "current node lts" })).toEqual([
      "Node 24 [1].\n\n**Sources**\n1. [Node.js releases](https://nodejs.org/en/about/previous-releases)\n\n*Model: gpt-4o-mini-search-preview-2025-01-01*",
    ]);
    expect(await shown({ kind: "mention", text: "plain again" })).toEqual([
      "Echo: Ada: plain again\n\n*Model: gpt-4.1-mini-2025-04-14*",
    ]);
  });

  it("names the model the provider says answered, and the search fallback after its note", async () => {
    harness = await startEngineHarness({
      fake: { models: copyDefaultFakeModels().filter((model) => !model.id.includes("search-preview")) },
    });
    harness.fake.enqueue({ text: "Routed.", model: "gpt-4o-2024-11-20" }, { text: "Found." });
    expect(await shown({ kind: "ask", text: "hi" })).toEqual(["Routed.\n\n*Model: gpt-4o-2024-11-20*"]);
    expect(await shown({ kind: "search", text: "anything" })).toEqual([
      "Found.\n\n*Searched with perplexity/sonar (gpt-4o-mini-search-preview is no longer offered by the provider).*\n*Model: sonar-2025-01-01*",
    ]);
  });

  it("names the model under an answer cut off by the provider", async () => {
    harness = await startEngineHarness();
    harness.fake.enqueue({ text: "The first half arrives, then it drops", cutAfterChars: 20, chunkSize: 5 });
    expect(await shown({ kind: "ask", text: "hello" })).toEqual([
      "The first half arriv\n\n⚠️ *The answer was cut off: The connection to the AI provider broke.*\n*Model: gpt-4.1-mini-2025-04-14*",
    ]);
  });

  it("shows no model line under an error before any answer, nor under commands that call no model", async () => {
    harness = await startEngineHarness({ maxRetries: 0 });
    harness.fake.enqueue({ error: { status: 429, message: "Too many requests" } });
    expect(await shown({ kind: "ask", text: "hello" })).toEqual([
      '⚠️ The provider is rate-limiting requests right now; please try again in a minute. The provider said: "Too many requests"',
    ]);
    for (const kind of ["model", "reset", "usage", "help"] as const) {
      const texts = await shown({ kind, text: "" });
      expect(texts).toHaveLength(1);
      expect(texts.join("\n")).not.toContain("Model:");
    }
    expect(await shown({ kind: "model", text: "gpt-4o-mini" })).toEqual([
      "From now on, /ask, mentions and follow-ups in this thread use `gpt-4o-mini`; /search and /reason keep their own models.",
    ]);
  });
});
