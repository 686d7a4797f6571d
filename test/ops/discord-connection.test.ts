// The Discord adapter reports its gateway connection: /healthz turns 503 while the gateway is lost, 200 once back.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { startDiscordAdapter } from "../../adapters/discord/start.ts";
import { loadConfig } from "../../src/config.ts";
import { type OpsServer, startOpsServer } from "../../src/ops/http.ts";
import { createParley } from "../../src/parley.ts";
import { startFakeAimlApi } from "../support/fake-aimlapi.ts";
import { startFakeDiscord } from "../support/fake-discord.ts";
import { parseExposition, samplesOf } from "./exposition.ts";
import { recordingLogger } from "./log-lines.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function health(server: OpsServer): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`http://127.0.0.1:${server.port}/healthz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function untilHealth(server: OpsServer, status: number, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await health(server);
    if (answer.status === status) return answer;
    if (Date.now() > deadline)
      throw new Error(`/healthz stayed ${answer.status}: ${JSON.stringify(answer.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test("a lost gateway makes /healthz 503 until discord.js has reconnected, and the bot answers again", async () => {
  const provider = await startFakeAimlApi();
  const discord = await startFakeDiscord();
  const directory = mkdtempSync(join(tmpdir(), "parley-ops-discord-"));
  cleanups.push(
    () => provider.close(),
    () => discord.close(),
    () => rmSync(directory, { recursive: true, force: true }),
  );
  const config = loadConfig({
    AIML_API_KEY: "test-key",
    AIML_BASE_URL: provider.url,
    STORE_URL: `sqlite://${join(directory, "parley.sqlite")}`,
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
  });
  const log = recordingLogger([discord.token]);
  const parley = await createParley(config, { logger: log.logger, maxRetries: 0 });
  cleanups.push(() => parley.close());
  const { operations } = parley;
  const server = await startOpsServer({ port: 0, host: "127.0.0.1", routes: operations.routes() });
  cleanups.push(() => server.close());
  const reporter = operations.reporter("discord");

  // Before the adapter logs in, Discord counts as disconnected.
  expect((await health(server)).status).toBe(503);
  const adapter = await startDiscordAdapter({
    config,
    engine: parley.engine,
    logger: log.logger,
    lifecycle: operations.lifecycle,
    reporter,
  });
  cleanups.push(() => adapter.stop());
  expect((await untilHealth(server, 200)).body).toEqual({
    status: "ok",
    store: { kind: "sqlite", ok: true },
    adapters: { discord: { connected: true } },
  });

  discord.gateway.dropConnections({ holdReconnects: true });
  const lost = await untilHealth(server, 503);
  expect(lost.body).toMatchObject({ status: "unavailable", adapters: { discord: { connected: false } } });
  discord.gateway.releaseReconnects();
  await untilHealth(server, 200);

  discord.sendMessage({ content: `<@${discord.bot.id}> still there?` });
  await discord.waitFor("the answer after the reconnect", () =>
    discord.requests.some((request) =>
      JSON.stringify(request.body ?? "").includes("Echo: Alice: still there?"),
    ),
  );
  await operations.lifecycle.settled();
  const metrics = parseExposition(await operations.metrics.registry.metrics());
  expect(
    samplesOf(metrics, "parley_turns_total", { platform: "discord", command: "mention", outcome: "done" })[0]
      ?.value,
  ).toBe(1);
  expect(log.lines.join("\n")).not.toContain(discord.token);
});
