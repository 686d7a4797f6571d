// A render clock for tests: time moves only when the test says so, and sleepers wake in order.
import type { RenderClock } from "../../../src/render/surface.ts";

/** A clock the test drives by hand. */
export interface FakeClock extends RenderClock {
  /** Moves time forward by `ms`, waking each sleeper at its own moment and letting the code it resumes run. */
  advance(ms: number): Promise<void>;
  /** When the earliest sleeper wakes, or undefined when nobody sleeps. */
  nextWakeAtMs(): number | undefined;
}

interface Sleeper {
  wakeAtMs: number;
  wake: () => void;
}

/** Lets every promise continuation that is ready run (the renderer's awaits included). */
export async function settle(): Promise<void> {
  for (let round = 0; round < 5; round++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A fake clock starting at 0 ms. */
export function createFakeClock(): FakeClock {
  let nowMs = 0;
  const sleepers: Sleeper[] = [];
  const earliest = (): Sleeper | undefined =>
    sleepers.reduce<Sleeper | undefined>(
      (best, s) => (best && best.wakeAtMs <= s.wakeAtMs ? best : s),
      undefined,
    );

  return {
    now: () => nowMs,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        sleepers.push({ wakeAtMs: nowMs + Math.max(0, ms), wake: resolve });
      }),
    nextWakeAtMs: () => earliest()?.wakeAtMs,
    async advance(ms) {
      const targetMs = nowMs + ms;
      await settle();
      for (let next = earliest(); next && next.wakeAtMs <= targetMs; next = earliest()) {
        sleepers.splice(sleepers.indexOf(next), 1);
        nowMs = Math.max(nowMs, next.wakeAtMs);
        next.wake();
        await settle();
      }
      nowMs = targetMs;
      await settle();
    },
  };
}

/** Runs time forward, sleeper by sleeper, until `promise` settles; fails if it waits on something else. */
export async function runToEnd<T>(promise: Promise<T>, clock: FakeClock): Promise<T> {
  let finished = false;
  const watched = promise.finally(() => {
    finished = true;
  });
  let idleRounds = 0;
  for (let step = 0; step < 10_000; step++) {
    await settle();
    if (finished) return watched;
    const wakeAtMs = clock.nextWakeAtMs();
    if (wakeAtMs !== undefined) {
      idleRounds = 0;
      await clock.advance(Math.max(0, wakeAtMs - clock.now()));
    } else if (++idleRounds > 50) {
      throw new Error("the renderer is waiting on something other than the clock");
    }
  }
  throw new Error("the renderer did not finish");
}
