// Votes on answers: kept with the answer's command, model and channel; one per person, changeable; tallied monthly.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFeedbackTotals, type StoredVote } from "../../../src/controls/feedback.ts";
import {
  ALREADY_FINISHED,
  createReplyControls,
  REPLY_FORGOTTEN,
} from "../../../src/controls/reply-controls.ts";
import { createLogger } from "../../../src/logger.ts";
import { openStores, type Stores } from "../../../src/store/open-stores.ts";
import type { Turn } from "../../../src/types.ts";

let stores: Stores;
beforeEach(async () => {
  stores = await openStores("sqlite://:memory:");
});
afterEach(async () => {
  await stores.close();
});

const NOW = new Date("2026-12-01T12:00:00Z");
const turn: Turn = {
  key: { platform: "slack", workspace: "T1", channel: "C1", thread: "1.1" },
  author: { id: "U1", displayName: "Ada", isBot: false },
  kind: "search",
  text: "what is new",
};

function controls() {
  return createReplyControls({
    store: stores.controls,
    counters: stores.counters,
    shared: false,
    adminUsers: [],
    logger: createLogger("silent"),
    now: () => NOW,
  });
}

describe("feedback", () => {
  it("stores each person's vote with the command, model and channel; a changed vote moves the tally", async () => {
    const replyControls = controls();
    const watched = replyControls.watch(turn, "r1");
    watched.end("perplexity/sonar");
    await expect
      .poll(async () => (await stores.controls.get<{ model?: string }>("reply:r1"))?.model)
      .toBe("perplexity/sonar");

    expect(await replyControls.vote("r1", { platform: "slack", id: "U1" }, "up")).toMatchObject({
      done: true,
    });
    expect(await replyControls.vote("r1", { platform: "slack", id: "U1" }, "down")).toMatchObject({
      done: true,
    });
    expect(await replyControls.vote("r1", { platform: "slack", id: "U1" }, "down")).toMatchObject({
      done: true,
    });
    await replyControls.vote("r1", { platform: "slack", id: "U2" }, "up");

    expect(await stores.controls.get<StoredVote>("vote:r1:U1")).toEqual({
      vote: "down",
      command: "search",
      model: "perplexity/sonar",
      channel: "slack:T1:C1",
      atMs: NOW.getTime(),
    });
    expect(await readFeedbackTotals(stores.counters, "slack", "T1", NOW)).toEqual({ up: 1, down: 1 });
  });

  it("a vote on an answer parley no longer remembers is refused with a sentence, and counts nowhere", async () => {
    const outcome = await controls().vote("gone", { platform: "slack", id: "U1" }, "up");
    expect(outcome).toEqual({ done: false, message: REPLY_FORGOTTEN });
    expect(await readFeedbackTotals(stores.counters, "slack", "T1", NOW)).toEqual({ up: 0, down: 0 });
  });

  it("Stop on an answer that already ended says so, and stops nothing", async () => {
    const replyControls = controls();
    const watched = replyControls.watch(turn, "r2");
    watched.end("gpt-4o");
    await expect.poll(async () => (await stores.controls.get("reply:r2")) !== undefined).toBe(true);
    expect(await replyControls.stop("r2", { platform: "slack", id: "U1" })).toEqual({
      done: false,
      message: ALREADY_FINISHED,
    });
    expect(watched.signal.aborted).toBe(false);
  });
});
