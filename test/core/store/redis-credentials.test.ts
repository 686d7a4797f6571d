// A Redis that refuses STORE_URL's credentials fails start-up at once, naming STORE_URL without the password.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ParleyError } from "../../../src/errors.ts";
import { openStores } from "../../../src/store/open-stores.ts";
import { startTestRedis, type TestRedis } from "../../support/redis-server.ts";

const PASSWORD = "the-right-redis-password";
let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis({ requirePassword: PASSWORD });
});
afterAll(async () => {
  await redis.close();
});

/** What opening the store at `url` fails with, and how long it took. */
async function openingFailure(url: string): Promise<{ message: string; ms: number }> {
  const startedAtMs = Date.now();
  const error = await openStores(url).then(
    async (stores) => {
      await stores.close();
      throw new Error(`expected ${url} to be refused`);
    },
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ParleyError);
  return { message: (error as ParleyError).userMessage, ms: Date.now() - startedAtMs };
}

describe("opening a Redis store with the wrong credentials", () => {
  it("a wrong password is reported at once (no 10 s wait), without the password", async () => {
    const refused = await openingFailure(`redis://:wrong-redis-password@127.0.0.1:${redis.port}`);
    expect(refused.message).toBe(
      `STORE_URL: Redis at redis://***@127.0.0.1:${redis.port} refused the user or password (WRONGPASS): ` +
        "check them in STORE_URL",
    );
    expect(refused.ms).toBeLessThan(5_000);
  });

  it("a missing password is reported as such", async () => {
    const refused = await openingFailure(`redis://127.0.0.1:${redis.port}`);
    expect(refused.message).toBe(
      `STORE_URL: Redis at redis://127.0.0.1:${redis.port} requires a password (NOAUTH): put it in STORE_URL as ` +
        "redis://:password@host:port",
    );
  });

  it("the right password opens it", async () => {
    const stores = await openStores(`redis://:${PASSWORD}@127.0.0.1:${redis.port}`);
    await stores.settings.set("credentials-check", "ok");
    expect(await stores.settings.get("credentials-check")).toBe("ok");
    await stores.close();
  });
});
