// Stop across replicas on one Redis: a press handled by one replica stops the answer another replica is streaming.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReplyControls, NOT_YOURS_TO_STOP } from "../../../src/controls/reply-controls.ts";
import { createLogger } from "../../../src/logger.ts";
import { createTurnLifecycle, type TurnLifecycle } from "../../../src/ops/turn-lifecycle.ts";
import { openStores, type Stores } from "../../../src/store/open-stores.ts";
import type { ConversationKey, ReplyEvent, ReplyResult } from "../../../src/types.ts";
import { type FakeAimlApi, startFakeAimlApi } from "../../support/fake-aimlapi.ts";
import { startTestRedis, type TestRedis } from "../../support/redis-server.ts";
import { engineOn, freshKey } from "../store/engine-on-store.ts";

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

const logger = createLogger("silent");
const controlsOn = (stores: Stores) =>
  createReplyControls({
    store: stores.controls,
    counters: stores.counters,
    shared: true,
    adminUsers: [],
    logger,
  });

/** Starts a slowly streamed answer (eight words, 300 ms apart) on `lifecycle`; resolves once its first text came. */
async function startCounting(lifecycle: TurnLifecycle, key: ConversationKey) {
  fake.enqueue({
    text: "One. Two. Three. Four. Five. Six. Seven. Eight.",
    chunkSize: 5,
    chunkDelayMs: 300,
  });
  const events: ReplyEvent[] = [];
  const running = lifecycle.run(
    { key, author: { id: "U1", displayName: "Ada", isBot: false }, kind: "ask", text: "count" },
    async ({ events: stream }) => {
      for await (const event of stream) events.push(event);
      return { messages: [], chunks: [], outcome: "done" };
    },
  );
  await expect.poll(() => events.some((event) => event.type === "text"), { timeout: 5_000 }).toBe(true);
  return { events, running };
}

describe("Stop across replicas", () => {
  it("replica B's press reaches the answer replica A streams within a second; someone else's does nothing", async () => {
    const controlsA = controlsOn(replicaA);
    const controlsB = controlsOn(replicaB);
    const lifecycle = createTurnLifecycle({
      engine: engineOn(replicaA, fake),
      logger,
      controls: controlsA,
      newRequestId: () => "request-cross-replica",
    });
    const key = freshKey("stop");
    const { events, running } = await startCounting(lifecycle, key);

    const stranger = await controlsB.stop("request-cross-replica", { platform: key.platform, id: "U2" });
    expect(stranger).toEqual({ done: false, message: NOT_YOURS_TO_STOP });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(fake.requests.at(-1)?.closedByClient).toBe(false);

    const pressedAt = Date.now();
    expect(await controlsB.stop("request-cross-replica", { platform: key.platform, id: "U1" })).toEqual({
      done: true,
    });
    await expect.poll(() => fake.requests.at(-1)?.closedByClient, { timeout: 2_000 }).toBe(true);
    expect(Date.now() - pressedAt).toBeLessThan(1_000);
    await running;
    const result = (events.at(-1) as { result?: ReplyResult }).result;
    expect(result?.stopped).toBe(true);
    expect(result?.text).not.toContain("Eight.");
  });

  it("a platform's stop for a thread (no reply named) reaches the replica streaming there, and not a later turn", async () => {
    const lifecycle = createTurnLifecycle({
      engine: engineOn(replicaA, fake),
      logger,
      controls: controlsOn(replicaA),
    });
    const key = freshKey("thread-stop");
    const { events, running } = await startCounting(lifecycle, key);
    await controlsOn(replicaB).stopConversation(key, { platform: key.platform, id: "U1" });
    await expect.poll(() => fake.requests.at(-1)?.closedByClient, { timeout: 2_000 }).toBe(true);
    await running;
    expect((events.at(-1) as { result?: ReplyResult }).result?.stopped).toBe(true);

    // The next turn in the thread, started after the stop, runs to its end.
    const next: ReplyEvent[] = [];
    await lifecycle.run(
      { key, author: { id: "U1", displayName: "Ada", isBot: false }, kind: "ask", text: "again" },
      async ({ events: stream }) => {
        for await (const event of stream) next.push(event);
        return { messages: [], chunks: [], outcome: "done" };
      },
    );
    const result = (next.at(-1) as { result?: ReplyResult }).result;
    expect(result?.stopped).toBeUndefined();
    expect(result?.text).toContain("again");
  });
});
