// A turn whose thread is opened beside the provider call (`Turn.historyKey`): the request does not wait for the
// thread, and the conversation becomes parley's under the thread's key, never under the key the turn started with.
import { afterEach, expect, it } from "vitest";
import type { ConversationKey } from "../../../src/types.ts";
import { type EngineHarness, startEngineHarness, TEST_KEY } from "../../support/engine-harness.ts";

let harness: EngineHarness;
afterEach(async () => {
  await harness?.close();
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

it("asks the provider before the thread exists, then keeps the exchange in the thread only", async () => {
  harness = await startEngineHarness();
  harness.fake.enqueue({ text: "Answer in the new thread." });
  const threadKey: ConversationKey = { ...TEST_KEY, thread: "thread-opened-later" };
  let openThread: (key: ConversationKey) => void = () => undefined;
  const historyKey = new Promise<ConversationKey>((resolve) => {
    openThread = resolve;
  });
  const outcome = harness.run({ kind: "mention", text: "a question", historyKey });
  // The thread is still being opened when the provider hears the question.
  await until(() => harness.fake.chatRequests().length === 1);
  openThread(threadKey);
  const { text, result } = await outcome;
  expect(text).toBe("Answer in the new thread.");
  expect(result?.notes ?? []).toEqual([]);
  expect(await harness.parley.engine.hasConversation(threadKey)).toBe(true);
  // Nothing is left under the key the turn started with: a reply there would not be taken for a follow-up.
  expect(await harness.parley.engine.hasConversation(TEST_KEY)).toBe(false);
  // The next turn in the thread sees the first exchange.
  await harness.run({ key: threadKey, kind: "follow-up", text: "and then?" });
  const contents = (harness.fake.chatRequests().at(-1)?.messages ?? []).map((message) =>
    String(message.content),
  );
  expect(contents.some((content) => content.includes("Answer in the new thread."))).toBe(true);
});
