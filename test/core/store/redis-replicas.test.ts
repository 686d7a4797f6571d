// Two replicas (two store connections, two engines) on one Redis: one conversation's turns are serialised across
// them, each exchange is stored once and whole, and a turn that lost its lock cannot write.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStores, type Stores } from "../../../src/store/open-stores.ts";
import { conversationId } from "../../../src/types.ts";
import { type FakeAimlApi, type RecordedChatRequest, startFakeAimlApi } from "../../support/fake-aimlapi.ts";
import { startTestRedis, type TestRedis } from "../../support/redis-server.ts";
import { ask, engineOn, freshKey, recordLogs } from "./engine-on-store.ts";

let redis: TestRedis;
let fake: FakeAimlApi;
let replicaA: Stores;
let replicaB: Stores;

beforeAll(async () => {
  [redis, fake] = await Promise.all([startTestRedis(), startFakeAimlApi()]);
  [replicaA, replicaB] = await Promise.all([openStores(redis.url), openStores(redis.url)]);
});
afterAll(async () => {
  await Promise.all([replicaA.close(), replicaB.close()]);
  await Promise.all([redis.close(), fake.close()]);
});

/** Holds the thread (and the timers) still, as a long garbage-collection pause or a frozen VM would. */
function pauseProcess(milliseconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}

describe("replicas on one Redis", () => {
  it("answers 50 turns sent at once to one conversation through two replicas, storing each exchange once", async () => {
    const engines = [engineOn(replicaA, fake), engineOn(replicaB, fake)] as const;
    const key = freshKey("replicas");
    fake.reset();
    const questions = Array.from({ length: 50 }, (_, index) => `question ${index}`);

    const outcomes = await Promise.all(
      questions.map((question, index) => ask(engines[index % 2 === 0 ? 0 : 1], question, key)),
    );

    expect(outcomes.map((outcome) => outcome.error?.error.message)).toEqual(questions.map(() => undefined));
    expect(outcomes.map((outcome) => outcome.result?.text)).toEqual(
      questions.map((question) => `Echo: Ada: ${question}`),
    );
    const stored = (await replicaA.history.read(conversationId(key), 200))?.messages ?? [];
    expect(stored).toHaveLength(100);
    const asked = stored.filter((_, index) => index % 2 === 0).map((message) => message.content);
    expect([...asked].sort()).toEqual(questions.map((question) => `Ada: ${question}`).sort());
    for (let index = 0; index < stored.length; index += 2) {
      expect(stored[index]?.role).toBe("user");
      expect(stored[index + 1]).toMatchObject({
        role: "assistant",
        content: `Echo: ${stored[index]?.content}`,
      });
    }
    // One consistent order: every turn saw exactly the exchanges stored before its own.
    const requests = fake.chatRequests();
    expect(requests).toHaveLength(50);
    for (const request of requests) {
      const history = request.messages.slice(1, -1).map((message) => message.content);
      const position = stored.findIndex((message) => message.content === request.messages.at(-1)?.content);
      expect(history).toEqual(stored.slice(0, position).map((message) => message.content));
    }
  }, 60_000);

  it("runs different conversations side by side across replicas", async () => {
    const engines = [engineOn(replicaA, fake), engineOn(replicaB, fake)] as const;
    fake.reset();
    // The provider answers neither request until both have arrived: turns run one after the other would leave
    // the first waiting for a second request that never comes, and the barrier gives up.
    let arrived = 0;
    let bothArrived: () => void = () => undefined;
    const barrier = new Promise<void>((resolve) => {
      bothArrived = resolve;
    });
    const answerOnceBothArrived = async (request: RecordedChatRequest) => {
      arrived += 1;
      if (arrived === 2) bothArrived();
      const together = await Promise.race([
        barrier.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000)),
      ]);
      const question = JSON.stringify(request.body.messages.at(-1)?.content);
      return together
        ? { text: question.includes("one") ? "side by side one" : "side by side two" }
        : { text: "one after the other" };
    };
    fake.enqueue(answerOnceBothArrived, answerOnceBothArrived);
    const [one, two] = await Promise.all([
      ask(engines[0], "one", freshKey("side-a")),
      ask(engines[1], "two", freshKey("side-b")),
    ]);
    expect([one.result?.text, two.result?.text]).toEqual(["side by side one", "side by side two"]);
  }, 30_000);

  it("tells a turn that cannot get its conversation before its deadline that the conversation is busy", async () => {
    const key = freshKey("busy");
    const held = await replicaA.locks.acquire(conversationId(key), { leaseMs: 5_000 });
    const engine = engineOn(replicaB, fake, { turnDeadlineMs: 500 });
    fake.reset();
    const startedAtMs = Date.now();
    const [busy, elsewhere] = await Promise.all([
      ask(engine, "are you there?", key),
      ask(engine, "and here?", freshKey("not-busy")),
    ]);
    expect(busy.error?.error.code).toBe("conversation_busy");
    expect(busy.error?.error.userMessage).toBe(
      "This conversation is busy with another answer; try again in a moment.",
    );
    expect(Date.now() - startedAtMs).toBeLessThan(3_000);
    expect(elsewhere.result?.text).toBe("Echo: Ada: and here?");
    expect(fake.chatRequests().map((request) => request.messages.at(-1)?.content)).toEqual([
      "Ada: and here?",
    ]);
    await held.release();
    expect((await ask(engine, "now?", key)).result?.text).toBe("Echo: Ada: now?");
  });

  it("does not let a turn whose lease expired while it was paused write its exchange", async () => {
    const logs = recordLogs();
    const [stalled, rival] = [
      engineOn(replicaA, fake, { lockLeaseMs: 300, logger: logs.logger }),
      engineOn(replicaB, fake, { lockLeaseMs: 300 }),
    ];
    const key = freshKey("fenced");
    fake.reset();
    fake.enqueue({ text: "late answer", firstChunkDelayMs: 200 });
    const late = ask(stalled, "first", key);
    while (fake.chatRequests().length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    pauseProcess(700);
    // The pause outlived the lease: the rival replica takes the conversation and answers first.
    const rivalOutcome = await ask(rival, "second", key);
    const lateOutcome = await late;

    expect(rivalOutcome.result?.text).toBe("Echo: Ada: second");
    expect(lateOutcome.result?.text).toBe("late answer");
    expect(lateOutcome.result?.notes).toContain(
      "This answer could not be saved to the conversation's memory.",
    );
    expect(logs.lines().map((line) => line.msg)).toContain(
      "did not save the exchange: the turn no longer holds its conversation's lock",
    );
    const stored = await replicaA.history.read(conversationId(key), 10);
    expect(stored?.messages.map((message) => message.content)).toEqual(["Ada: second", "Echo: Ada: second"]);
  });

  it("checks the lock inside Redis before appending: a token that is not the lock's writes nothing", async () => {
    const id = conversationId(freshKey("fence-script"));
    const lease = await replicaA.locks.acquire(id, { leaseMs: 5_000 });
    const message = { role: "user" as const, content: "x", tokens: 1 };
    const stale = { id, token: "an earlier holder's token", isHeld: () => true, release: async () => {} };
    const options = { model: "m", maxMessages: 10, ttlMs: 60_000 };
    expect(await replicaB.history.append(id, [message], { ...options, fence: stale })).toBe(false);
    expect(await replicaB.history.read(id, 10)).toBeUndefined();
    expect(await replicaB.history.append(id, [message], { ...options, fence: lease })).toBe(true);
    await lease.release();
    expect(await replicaB.history.append(id, [message], { ...options, fence: lease })).toBe(false);
    expect((await replicaB.history.read(id, 10))?.messages).toHaveLength(1);
  });
});
