// Every turn has an overall deadline: the provider request is stopped, the user told, the conversation freed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStores, type Stores } from "../../../src/store/open-stores.ts";
import type { ReplyEvent } from "../../../src/types.ts";
import { type FakeAimlApi, startFakeAimlApi } from "../../support/fake-aimlapi.ts";
import { ask, engineOn, freshKey } from "./engine-on-store.ts";

const directory = mkdtempSync(join(tmpdir(), "parley-deadline-"));
let fake: FakeAimlApi;
let stores: Stores;

beforeAll(async () => {
  fake = await startFakeAimlApi();
  stores = await openStores(`sqlite://${join(directory, "parley.sqlite")}`);
});
afterAll(async () => {
  await stores.close();
  await fake.close();
  rmSync(directory, { recursive: true, force: true });
});

const author = { id: "U1", displayName: "Ada", isBot: false };

describe("the turn deadline", () => {
  it("stops a provider that streams past it, says so, and frees the conversation", async () => {
    // The whole answer would stream for 10 s; the deadline stops it after 3 (generous on a loaded machine).
    const engine = engineOn(stores, fake, { turnDeadlineMs: 3_000 });
    const key = freshKey("slow-provider");
    fake.reset();
    fake.enqueue({ text: "a".repeat(200), chunkSize: 2, chunkDelayMs: 100 });
    const startedAtMs = Date.now();
    const outcome = await ask(engine, "take your time", key);
    expect(Date.now() - startedAtMs).toBeLessThan(8_000);
    expect(outcome.error?.error.code).toBe("turn_timeout");
    expect(outcome.error?.partialText.length).toBeGreaterThan(0);
    expect(outcome.error?.partialText.length).toBeLessThan(200);
    expect((await ask(engine, "quick one", key)).result?.text).toBe("Echo: Ada: quick one");
    // The timed-out exchange was not stored; the one after it was.
    expect(
      fake
        .chatRequests()[1]
        ?.messages.slice(1)
        .map((message) => message.content),
    ).toEqual(["Ada: quick one"]);
  });

  it("frees the conversation even when the consumer stops reading the reply", async () => {
    const engine = engineOn(stores, fake, { turnDeadlineMs: 400 });
    const key = freshKey("abandoned");
    fake.reset();
    fake.enqueue({ text: "b".repeat(60), chunkSize: 2, chunkDelayMs: 100 });
    const abandoned = engine.reply({ key, author, kind: "ask", text: "start" })[Symbol.asyncIterator]();
    // The reply names its model first (as asked, then as the provider calls it), then streams text.
    let pulled = await abandoned.next();
    while (pulled.value?.type === "model") pulled = await abandoned.next();
    expect(pulled.value?.type).toBe("text");
    // Nobody pulls the abandoned reply again, so only its deadline can free the conversation for the next turn
    // (asked through an engine on the same store whose own deadline is the default, so only the first one's counts).
    expect((await ask(engineOn(stores, fake), "anyone?", key)).result?.text).toBe("Echo: Ada: anyone?");
    await abandoned.return?.(undefined);
  });

  it("holds the conversation until the consumer has finished with the answer", async () => {
    const engine = engineOn(stores, fake);
    const key = freshKey("held-until-shown");
    fake.reset();
    const first = engine.reply({ key, author, kind: "ask", text: "first" })[Symbol.asyncIterator]();
    let event: IteratorResult<ReplyEvent>;
    do event = await first.next();
    while (!event.done && event.value.type !== "done");
    let secondFinished = false;
    const second = ask(engine, "second", key).then((outcome) => {
      secondFinished = true;
      return outcome;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(secondFinished).toBe(false);
    expect(await first.next()).toMatchObject({ done: true });
    expect((await second).result?.text).toBe("Echo: Ada: second");
  });
});
