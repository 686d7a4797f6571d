// Logs the Discord client in: checks the token first, then watches the gateway so a failure ends start-up clearly.
import { type Client, DefaultUserAgent, Events } from "discord.js";
import { failureReason } from "../../src/ops/network-failure.ts";
import {
  discordAnswered,
  discordStartupFailure,
  discordUnreachable,
  GatewayStalled,
  GatewayUnreachable,
} from "./startup-failures.ts";

/** How long the token check may take. */
const TOKEN_CHECK_TIMEOUT_MS = 10_000;

/** How long start-up waits for the next shard to become ready (IDENTIFYs are spaced 5 s apart per bucket). */
export const GATEWAY_PROGRESS_TIMEOUT_MS = 60_000;

/** Gateway connections that fail in a row, before any shard is ready, after which start-up gives up. */
const GATEWAY_CONNECTION_ATTEMPTS = 3;

/** Longest wait for the client to close its gateway connections after a failed start. */
const DESTROY_TIMEOUT_MS = 2_000;

/** What connecting needs. */
export interface DiscordConnectOptions {
  token: string;
  /** DISCORD_API_URL, without the version. */
  apiUrl: string;
  fetch?: typeof fetch;
  /** Longest wait for the next shard to become ready (default GATEWAY_PROGRESS_TIMEOUT_MS). */
  progressTimeoutMs?: number;
}

/**
 * Resolves once every shard is ready. Rejects with a ParleyError naming the setting to fix when Discord cannot be
 * reached, rejects the token or refuses the gateway session; the client is destroyed then.
 */
export async function connectDiscordClient(client: Client, options: DiscordConnectOptions): Promise<void> {
  await checkToken(options);
  const gateway = watchGateway(client, options.progressTimeoutMs ?? GATEWAY_PROGRESS_TIMEOUT_MS);
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await Promise.race([client.login(options.token).then(() => ready), gateway.failed]);
  } catch (error) {
    await destroyWithin(client, DESTROY_TIMEOUT_MS);
    throw discordStartupFailure(error, {
      apiUrl: options.apiUrl,
      gatewayUrl: gateway.url(),
      closeCode: gateway.closeCode(),
    });
  } finally {
    gateway.stop();
  }
}

/**
 * Destroys the client, waiting at most `timeoutMs`: @discordjs/ws never finishes closing a shard that is still
 * waiting for the gateway's HELLO, and the failure must still be reported.
 */
async function destroyWithin(client: Client, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([client.destroy().catch(() => undefined), gaveUp]);
  clearTimeout(timer);
}

/**
 * GET /users/@me with the token: tells "cannot reach Discord" from "Discord rejected the token" before the
 * gateway is involved (discord.js reports both less plainly).
 */
async function checkToken(options: DiscordConnectOptions): Promise<void> {
  const fetchUrl = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await fetchUrl(`${options.apiUrl}/v10/users/@me`, {
      headers: { authorization: `Bot ${options.token}`, "user-agent": DefaultUserAgent },
      signal: AbortSignal.timeout(TOKEN_CHECK_TIMEOUT_MS),
    });
  } catch (error) {
    throw discordUnreachable(options.apiUrl, failureReason(error), error);
  }
  await response.body?.cancel();
  if (!response.ok) throw discordAnswered(response.status, "GET /users/@me");
}

/** Watches the gateway while logging in: what it closed with, and whether it is reachable at all. */
function watchGateway(
  client: Client,
  progressTimeoutMs: number,
): { failed: Promise<never>; url(): string | undefined; closeCode(): number | undefined; stop(): void } {
  let closeCode: number | undefined;
  let failedAttempts = 0;
  let fail: (error: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  let timer: NodeJS.Timeout | undefined;
  const waitForProgress = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => fail(new GatewayStalled(progressTimeoutMs)), progressTimeoutMs);
  };
  // @discordjs/ws reports a connection that could not be opened only as a debug line, then retries forever.
  const onDebug = (message: string): void => {
    if (!message.includes("Failed to connect to the gateway URL")) return;
    failedAttempts += 1;
    if (failedAttempts >= GATEWAY_CONNECTION_ATTEMPTS) fail(new GatewayUnreachable(failedAttempts));
  };
  const onShardReady = (): void => {
    failedAttempts = 0;
    waitForProgress();
  };
  const onShardDisconnect = (event: { code: number }): void => {
    closeCode = event.code;
  };
  client.on(Events.Debug, onDebug);
  client.on(Events.ShardReady, onShardReady);
  client.on(Events.ShardDisconnect, onShardDisconnect);
  waitForProgress();
  return {
    failed,
    // discord.js keeps GET /gateway/bot's address with a trailing slash.
    url: () => client.ws.gateway?.replace(/\/$/, "") ?? undefined,
    closeCode: () => closeCode,
    stop() {
      clearTimeout(timer);
      client.off(Events.Debug, onDebug);
      client.off(Events.ShardReady, onShardReady);
      client.off(Events.ShardDisconnect, onShardDisconnect);
    },
  };
}
