// A finished answer reaches the user even when the store cannot save it; the failure is only logged.
import Keyv from "keyv";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.ts";
import { createEngine } from "../../../src/engine/create-engine.ts";
import { silentLogger } from "../../../src/logger.ts";
import { buildCatalog } from "../../../src/models/catalog.ts";
import type { Stores } from "../../../src/store/open-stores.ts";
import { collect, TEST_KEY } from "../../support/engine-harness.ts";
import { type FakeAimlApi, startFakeAimlApi } from "../../support/fake-aimlapi.ts";

let fake: FakeAimlApi;
afterEach(async () => {
  await fake.close();
});

/** A keyv whose writes fail, as a full disk or a dropped Redis would. */
function failingWrites(): Keyv {
  const keyv = new Keyv();
  keyv.set = async () => {
    throw new Error("disk full");
  };
  return keyv;
}

describe("store failures", () => {
  it("still delivers the finished answer when history and usage cannot be written", async () => {
    fake = await startFakeAimlApi();
    const config = loadConfig({ AIML_API_KEY: "k", AIML_BASE_URL: fake.url });
    const stores: Stores = {
      history: failingWrites(),
      settings: new Keyv(),
      counters: {
        add: async () => {
          throw new Error("disk full");
        },
        read: async () => ({}),
      },
      kind: "sqlite",
      ping: async () => {},
      claimOnce: async () => true,
      close: async () => {},
    };
    const engine = createEngine({
      config,
      stores,
      client: new OpenAI({ apiKey: "k", baseURL: fake.url, maxRetries: 0 }),
      catalog: buildCatalog(undefined, config.models.search),
      logger: silentLogger(),
    });
    const outcome = await collect(
      engine.reply({
        key: TEST_KEY,
        author: { id: "U1", displayName: "Ada", isBot: false },
        kind: "ask",
        text: "hi",
      }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.result?.text).toBe("Echo: Ada: hi");
  });
});
