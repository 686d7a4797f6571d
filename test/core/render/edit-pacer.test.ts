// The shared write budget: sliding-window slots, finishing writes first, withdrawn claims give their slot back.
import { describe, expect, it } from "vitest";
import {
  type BudgetTicket,
  createEditPacer,
  type SharedBudget,
  type WritePriority,
} from "../../../src/render/edit-pacer.ts";
import { createFakeClock, settle } from "./fake-clock.ts";

/** The grant times of claims, recorded as each one is granted; each write finishes the moment it is granted. */
function recordGrants(clock: { now(): number }) {
  const grants: { label: string; atMs: number }[] = [];
  const watch = (label: string, ticket: BudgetTicket) =>
    void ticket.granted.then(() => {
      grants.push({ label, atMs: clock.now() });
      ticket.done();
    });
  return { grants, watch };
}

/** A claim whose write finishes as soon as it is granted. */
function instantWrite(budget: SharedBudget, priority: WritePriority = "stream"): BudgetTicket {
  const ticket = budget.request(priority);
  void ticket.granted.then(() => ticket.done());
  return ticket;
}

describe("createEditPacer", () => {
  it("grants `limit` slots at once, then one more each time the oldest leaves the window and its margin", async () => {
    const clock = createFakeClock();
    const pacer = createEditPacer({ limit: 3, windowMs: 1000, marginMs: 100 }, clock);
    const budget = pacer.budget("T1");
    const { grants, watch } = recordGrants(clock);
    for (let index = 0; index < 5; index++) watch(`w${index}`, budget.request("stream"));
    await settle();
    expect(grants.map((grant) => grant.atMs)).toEqual([0, 0, 0]);
    expect(pacer.waiting("T1")).toBe(2);
    await clock.advance(1099);
    expect(grants).toHaveLength(3);
    await clock.advance(1);
    expect(grants.map((grant) => grant.atMs)).toEqual([0, 0, 0, 1100, 1100]);
  });

  it("keeps budgets apart by key", async () => {
    const clock = createFakeClock();
    const pacer = createEditPacer({ limit: 1, windowMs: 1000, marginMs: 0 }, clock);
    const { grants, watch } = recordGrants(clock);
    watch("a1", pacer.budget("A").request("stream"));
    watch("a2", pacer.budget("A").request("stream"));
    watch("b1", pacer.budget("B").request("stream"));
    await settle();
    expect(grants.map((grant) => grant.label)).toEqual(["a1", "b1"]);
  });

  it("grants finishing writes first, then first texts, then streaming edits, each kind in order of arrival", async () => {
    const clock = createFakeClock();
    const pacer = createEditPacer({ limit: 1, windowMs: 1000, marginMs: 0 }, clock);
    const budget = pacer.budget("T1");
    const { grants, watch } = recordGrants(clock);
    watch("busy", budget.request("stream"));
    const order: [string, WritePriority][] = [
      ["stream-1", "stream"],
      ["first-1", "first"],
      ["finish-1", "finish"],
      ["stream-2", "stream"],
      ["finish-2", "finish"],
      ["first-2", "first"],
    ];
    for (const [label, priority] of order) watch(label, budget.request(priority));
    for (let second = 0; second < 7; second++) await clock.advance(1000);
    expect(grants.map((grant) => grant.label)).toEqual([
      "busy",
      "finish-1",
      "finish-2",
      "first-1",
      "first-2",
      "stream-1",
      "stream-2",
    ]);
    expect(grants.map((grant) => grant.atMs)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000]);
  });

  it("drops a withdrawn claim from the queue, and gives back a granted slot that no write used", async () => {
    const clock = createFakeClock();
    const pacer = createEditPacer({ limit: 1, windowMs: 1000, marginMs: 0 }, clock);
    const budget = pacer.budget("T1");
    const { grants, watch } = recordGrants(clock);
    const unused = budget.request("stream");
    void unused.granted.then(() => grants.push({ label: "unused", atMs: clock.now() }));
    const withdrawn = budget.request("stream");
    watch("withdrawn", withdrawn);
    watch("next", budget.request("stream"));
    await settle();
    expect(unused.isGranted()).toBe(true);
    withdrawn.cancel();
    expect(pacer.waiting("T1")).toBe(1);
    unused.cancel();
    await settle();
    // The returned slot goes to the next claim at once; the withdrawn one never gets one.
    expect(grants).toEqual([
      { label: "unused", atMs: 0 },
      { label: "next", atMs: 0 },
    ]);
    await clock.advance(5000);
    expect(grants).toHaveLength(2);
  });

  it("offers a slot at once only when one is free and nobody waits", async () => {
    const clock = createFakeClock();
    const pacer = createEditPacer({ limit: 2, windowMs: 1000, marginMs: 0 }, clock);
    const budget = pacer.budget("T1");
    budget.tryNow()?.done();
    instantWrite(budget);
    await settle();
    expect(budget.tryNow()).toBeUndefined();
    instantWrite(budget);
    await clock.advance(1000);
    // Of the two slots freed, the claim that waited took one; the other is free.
    const now = budget.tryNow();
    expect(now?.isGranted()).toBe(true);
    now?.done();
    expect(budget.tryNow()).toBeUndefined();
  });

  it("never lets more than `limit` grants fall within any window plus margin, whatever the arrivals", async () => {
    const clock = createFakeClock();
    const rate = { limit: 4, windowMs: 1000, marginMs: 100 };
    const pacer = createEditPacer(rate, clock);
    const times: number[] = [];
    const priorities: WritePriority[] = ["finish", "first", "stream"];
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let step = 0; step < 200; step++) {
      const key = random() < 0.8 ? "busy" : "quiet";
      const ticket = pacer.budget(key).request(priorities[Math.floor(random() * 3)] ?? "stream");
      const writeMs = Math.floor(random() * 300);
      const withdrawn = random() < 0.1;
      void ticket.granted.then(async () => {
        // A claim withdrawn before its write went out gave its slot back: it is not a write.
        if (withdrawn) return;
        if (key === "busy") times.push(clock.now());
        // The write arrives at the platform some time after it was granted, and finishes later still.
        await clock.sleep(writeMs);
        ticket.done();
      });
      if (withdrawn) ticket.cancel();
      await clock.advance(Math.floor(random() * 120));
    }
    await clock.advance(60_000);
    expect(times.length).toBeGreaterThan(100);
    for (let index = rate.limit; index < times.length; index++) {
      expect((times[index] ?? 0) - (times[index - rate.limit] ?? 0)).toBeGreaterThanOrEqual(1100);
    }
  });

  it("counts a slow write from when it finished, so a late arrival cannot crowd the platform's window", async () => {
    const clock = createFakeClock();
    const pacer = createEditPacer({ limit: 1, windowMs: 1000, marginMs: 0 }, clock);
    const budget = pacer.budget("T1");
    const slow = budget.request("finish");
    const { grants, watch } = recordGrants(clock);
    watch("next", budget.request("stream"));
    await clock.advance(5000);
    // The slow write is still in flight: nothing else may go.
    expect(slow.isGranted()).toBe(true);
    expect(grants).toEqual([]);
    slow.done();
    await clock.advance(999);
    expect(grants).toEqual([]);
    await clock.advance(1);
    expect(grants).toEqual([{ label: "next", atMs: 6000 }]);
  });

  it("refuses a budget that could never grant anything", () => {
    expect(() => createEditPacer({ limit: 0, windowMs: 1000 })).toThrow(RangeError);
  });
});
