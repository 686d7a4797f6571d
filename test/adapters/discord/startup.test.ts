// Starting the Discord adapter: each way it can fail ends start-up with a sentence naming what to fix, never a wait
// without end.
import { afterEach, describe, expect, it } from "vitest";
import { startDiscordAdapter } from "../../../adapters/discord/start.ts";
import { loadConfig } from "../../../src/config.ts";
import { silentLogger } from "../../../src/logger.ts";
import type { Engine } from "../../../src/types.ts";
import { type FakeDiscord, startFakeDiscord } from "../../support/fake-discord.ts";

/** An engine that must never be reached by these tests. */
const unusedEngine: Engine = {
  reply: () => {
    throw new Error("not expected");
  },
  hasConversation: async () => false,
  claimEvent: async () => true,
  access: () => ({ allowed: true }),
  allowedModels: () => [],
};

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fakeDiscord(): Promise<FakeDiscord> {
  const discord = await startFakeDiscord();
  cleanups.push(() => discord.close());
  return discord;
}

const start = (env: Record<string, string>, gatewayProgressTimeoutMs?: number) =>
  startDiscordAdapter({
    config: loadConfig({ AIML_API_KEY: "test-key", LOG_LEVEL: "silent", ...env }),
    engine: unusedEngine,
    logger: silentLogger(),
    ...(gatewayProgressTimeoutMs ? { gatewayProgressTimeoutMs } : {}),
  });

describe("startDiscordAdapter", () => {
  it("gives up on a gateway that accepts the connection but never greets, naming the address tried", async () => {
    const discord = await fakeDiscord();
    // Every connection from now on waits for a HELLO that does not come.
    discord.gateway.dropConnections({ holdReconnects: true });
    await expect(
      start({ DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl }, 1_000),
    ).rejects.toThrow(
      `Discord's gateway at ${discord.gateway.url} did not let parley in within 1 s: check the network, or ` +
        "Discord's status at https://discordstatus.com",
    );
  });

  it("reports an error answer to the token check with its status, pointing at DISCORD_API_URL", async () => {
    const discord = await fakeDiscord();
    discord.failNext("GET /users/@me", 502, 0, "Bad Gateway");
    await expect(start({ DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl })).rejects.toThrow(
      "Discord answered 502 at GET /users/@me: check DISCORD_API_URL, or Discord's status at " +
        "https://discordstatus.com",
    );
    expect(discord.gateway.identifies).toEqual([]);
  });

  it("names DISCORD_GUILD_ID when Discord refuses the commands of a server the bot is not in", async () => {
    const discord = await fakeDiscord();
    discord.failNext(
      "PUT /applications/{application_id}/guilds/{guild_id}/commands",
      403,
      50001,
      "Missing Access",
    );
    const env = {
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      REGISTER_COMMANDS: "1",
      DISCORD_GUILD_ID: "123456789012345678",
    };
    await expect(start(env)).rejects.toThrow(
      "Discord refused to register the slash commands in server 123456789012345678 (403 Missing Access at GET " +
        `/applications/${discord.applicationId}/guilds/123456789012345678/commands): check DISCORD_GUILD_ID, and ` +
        "that the bot was added to that server with its invite URL (scope applications.commands)",
    );
  });

  it("shows a DISCORD_API_URL that cannot be reached without its credentials", async () => {
    const discord = await fakeDiscord();
    const apiUrl = discord.apiUrl
      .replace("http://", "http://proxy:proxy-password@")
      .replace("127.0.0.1", "nowhere.invalid");
    const failure = await start({ DISCORD_TOKEN: discord.token, DISCORD_API_URL: apiUrl }).then(
      () => undefined,
      (error: unknown) => (error as Error).message,
    );
    expect(failure).toMatch(/^Could not reach Discord at http:\/\/\*\*\*@nowhere\.invalid:\d+\/api \(/);
    expect(failure).not.toContain("proxy-password");
  });
});
