// Provider failures reach the user as one clear sentence with the provider's own words, never a secret.
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.ts";
import { silentLogger } from "../../../src/logger.ts";
import { createParley } from "../../../src/parley.ts";
import { collect, type EngineHarness, startEngineHarness, TEST_KEY } from "../../support/engine-harness.ts";

let harness: EngineHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function failWith(status: number, message: string, maxRetries = 0) {
  harness = await startEngineHarness({ maxRetries });
  harness.fake.enqueue({ error: { status, message, headers: { "retry-after": "0" } } });
  return harness.run({ kind: "ask", text: "hello" });
}

describe("provider errors", () => {
  it.each([
    [400, "provider_bad_request", "Expected number, received string", "rejected the request"],
    [401, "provider_auth", "This request requires a valid API key", "an admin needs to update AIML_API_KEY"],
    [403, "provider_forbidden", "Insufficient credits", "out of credits"],
    [404, "model_unavailable", "Model not found", "is not available from the provider"],
    [429, "provider_rate_limited", "Too many concurrent requests", "rate-limiting"],
    [500, "provider_unavailable", "Internal server error", "had a problem (HTTP 500)"],
    [502, "provider_unavailable", "Bad gateway", "had a problem (HTTP 502)"],
    [503, "provider_unavailable", "Service unavailable", "had a problem (HTTP 503)"],
    [504, "provider_timeout", "Generation timeout", "took too long"],
  ])("maps HTTP %i to %s and keeps the provider's message", async (status, code, providerText, sentence) => {
    const outcome = await failWith(status, providerText);
    expect(outcome.error?.error.code).toBe(code);
    expect(outcome.error?.error.userMessage).toContain(sentence);
    expect(outcome.error?.error.userMessage).toContain(providerText);
    expect(outcome.error?.error.userMessage).not.toContain("test-key-123456");
    expect(outcome.error?.error.userMessage).not.toMatch(/\n\s+at /);
  });

  it("scrubs the API key should the provider echo it", async () => {
    const outcome = await failWith(401, "Key test-key-123456 is not valid");
    expect(outcome.error?.error.userMessage).toContain("Key *** is not valid");
    expect(outcome.error?.error.userMessage).not.toContain("test-key-123456");
  });

  it("retries 503 and 429 before answering", async () => {
    harness = await startEngineHarness({ maxRetries: 2 });
    harness.fake.enqueue(
      { error: { status: 503, message: "busy", headers: { "retry-after": "0" } } },
      { error: { status: 429, message: "slow down", headers: { "retry-after": "0" } } },
      { text: "finally" },
    );
    const outcome = await harness.run({ kind: "ask", text: "hello" });
    expect(outcome.error).toBeUndefined();
    expect(outcome.result?.text).toBe("finally");
    expect(harness.fake.chatRequests()).toHaveLength(3);
  });

  it("gives up after the retries and says so", async () => {
    harness = await startEngineHarness({ maxRetries: 1 });
    harness.fake.enqueue(
      { error: { status: 503, message: "still busy", headers: { "retry-after": "0" } } },
      { error: { status: 503, message: "still busy", headers: { "retry-after": "0" } } },
    );
    const outcome = await harness.run({ kind: "ask", text: "hello" });
    expect(outcome.error?.error.code).toBe("provider_unavailable");
    expect(harness.fake.chatRequests()).toHaveLength(2);
  });

  it("keeps the text of a stream cut mid-way and says it was cut off", async () => {
    harness = await startEngineHarness();
    harness.fake.enqueue({
      text: "The first half arrives, then the line drops",
      cutAfterChars: 20,
      chunkSize: 5,
    });
    const outcome = await harness.run({ kind: "ask", text: "hello" });
    expect(outcome.text).toBe("The first half arriv");
    expect(outcome.error?.error.code).toBe("stream_interrupted");
    expect(outcome.error?.partialText).toBe("The first half arriv");
    // The thread stays parley's, so a plain follow-up is answered; the unfinished exchange is not saved.
    expect(await harness.parley.engine.hasConversation(TEST_KEY)).toBe(true);
    await harness.run({ kind: "follow-up", text: "please try again" });
    expect(
      harness.fake
        .chatRequests()[1]
        ?.messages.map((message) => message.content)
        .slice(1),
    ).toEqual(["Ada: please try again"]);
  });

  it("treats a stream that ends without a finish reason as interrupted", async () => {
    harness = await startEngineHarness();
    harness.fake.enqueue({ text: "partial answer", endWithoutFinish: true });
    const outcome = await harness.run({ kind: "ask", text: "hello" });
    expect(outcome.text).toBe("partial answer");
    expect(outcome.error?.error.code).toBe("stream_interrupted");
  });

  it("times out a stream that goes silent", async () => {
    harness = await startEngineHarness({ idleTimeoutMs: 300 });
    harness.fake.enqueue({ text: "slow words here", chunkSize: 5, chunkDelayMs: 2_000 });
    const outcome = await harness.run({ kind: "ask", text: "hello" });
    expect(outcome.text).toBe("slow ");
    expect(outcome.error?.error.code).toBe("stream_interrupted");
  });

  it("says the provider is unreachable when nothing listens", async () => {
    const port = await closedPort();
    const parley = await createParley(
      loadConfig({
        AIML_API_KEY: "test-key-123456",
        AIML_BASE_URL: `http://127.0.0.1:${port}/v1`,
        STORE_URL: "sqlite://:memory:",
        LOG_LEVEL: "silent",
      }),
      { logger: silentLogger(), maxRetries: 0 },
    );
    const outcome = await collect(
      parley.engine.reply({
        key: TEST_KEY,
        author: { id: "U1", displayName: "Ada", isBot: false },
        kind: "ask",
        text: "hi",
      }),
    );
    await parley.close();
    expect(outcome.error?.error.code).toBe("provider_unreachable");
    expect(outcome.error?.error.userMessage).toBe(
      "Could not reach the AI provider; please try again shortly.",
    );
  });
});

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === "object" && address ? address.port : 9;
}
