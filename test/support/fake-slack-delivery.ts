// How the fake Slack delivers to a bot over HTTP: signed event envelopes (JSON) and slash commands (form-encoded).
import { createHmac, randomUUID } from "node:crypto";
import { FAKE_TEAM_ID } from "./fake-slack.ts";

/** Where and how to reach the bot. */
export interface BotEndpoint {
  /** The bot's events URL, e.g. "http://127.0.0.1:41235/slack/events". */
  url: string;
  signingSecret: string;
}

/** Tweaks for one delivery: a retry header, a stale timestamp, a forged signature. */
export interface DeliveryOptions {
  retryNum?: number;
  timestampSec?: number;
  signature?: string;
}

/** What the bot answered and how long it took. */
export interface DeliveryResult {
  status: number;
  text: string;
  elapsedMs: number;
}

/** Slack's request signature: `v0=` + hex HMAC-SHA256(secret, `v0:{timestamp}:{body}`). */
export function signSlackRequest(signingSecret: string, timestampSec: number, body: string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestampSec}:${body}`).digest("hex")}`;
}

async function deliver(
  bot: BotEndpoint,
  body: string,
  contentType: string,
  options: DeliveryOptions,
): Promise<DeliveryResult> {
  const timestampSec = options.timestampSec ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    "content-type": contentType,
    "x-slack-request-timestamp": String(timestampSec),
    "x-slack-signature": options.signature ?? signSlackRequest(bot.signingSecret, timestampSec, body),
  };
  if (options.retryNum !== undefined) {
    headers["x-slack-retry-num"] = String(options.retryNum);
    headers["x-slack-retry-reason"] = "http_timeout";
  }
  const startedAtMs = Date.now();
  const response = await fetch(bot.url, { method: "POST", headers, body });
  return { status: response.status, text: await response.text(), elapsedMs: Date.now() - startedAtMs };
}

/** Delivers an Events API envelope as JSON. */
export function deliverEvent(
  bot: BotEndpoint,
  envelope: Record<string, unknown>,
  options: DeliveryOptions = {},
): Promise<DeliveryResult> {
  return deliver(bot, JSON.stringify(envelope), "application/json", options);
}

/** Delivers a slash command, form-encoded with exactly the content type Bolt accepts (no charset). */
export function deliverCommand(
  bot: BotEndpoint,
  fields: Record<string, string>,
  options: DeliveryOptions = {},
): Promise<DeliveryResult> {
  return deliver(bot, new URLSearchParams(fields).toString(), "application/x-www-form-urlencoded", options);
}

/** Delivers an interactive payload (a shortcut, a button) as Slack does: form-encoded, JSON in `payload`. */
export function deliverInteraction(
  bot: BotEndpoint,
  payload: Record<string, unknown>,
  options: DeliveryOptions = {},
): Promise<DeliveryResult> {
  return deliver(
    bot,
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    "application/x-www-form-urlencoded",
    options,
  );
}

/** A message shortcut's payload (`message_action`) for a message in a channel, as Slack sends it. */
export function messageActionPayload(input: {
  callbackId: string;
  channel: string;
  message: { ts: string; user: string; text: string; threadTs?: string };
  responseUrl: string;
  user?: string;
  teamId: string;
}): Record<string, unknown> {
  const user = input.user ?? "U0BOB";
  const nowMs = Date.now();
  return {
    type: "message_action",
    token: "verification-token",
    action_ts: `${Math.floor(nowMs / 1000)}.${String(nowMs % 1000).padStart(6, "0")}`,
    team: { id: input.teamId, domain: "parley-test" },
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: input.teamId },
    channel: { id: input.channel, name: "general" },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callbackId,
    trigger_id: "1.2.3",
    response_url: input.responseUrl,
    message_ts: input.message.ts,
    message: {
      type: "message",
      user: input.message.user,
      ts: input.message.ts,
      text: input.message.text,
      ...(input.message.threadTs ? { thread_ts: input.message.threadTs } : {}),
    },
  };
}

/** A block_actions payload: `user` pressed `action` on a bot message in `channel`. */
export function blockActionsPayload(input: {
  user: string;
  channel: string;
  messageTs: string;
  threadTs?: string;
  action: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    type: "block_actions",
    team: { id: FAKE_TEAM_ID, domain: "fake" },
    user: { id: input.user, username: input.user.toLowerCase(), team_id: FAKE_TEAM_ID },
    api_app_id: "A0PARLEY",
    token: "verification-token-unused",
    trigger_id: randomUUID(),
    container: {
      type: "message",
      message_ts: input.messageTs,
      channel_id: input.channel,
      is_ephemeral: false,
    },
    channel: { id: input.channel, name: "general" },
    message: {
      type: "message",
      ts: input.messageTs,
      ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
    },
    response_url: "https://hooks.slack.invalid/actions/T0PARLEY/1/abc",
    actions: [{ ...input.action, action_ts: String(Date.now() / 1000) }],
  };
}

/** Wraps an event the way the Events API does. */
export function eventEnvelope(
  event: Record<string, unknown>,
  eventId = `Ev${randomUUID()}`,
): Record<string, unknown> {
  return {
    token: "verification-token-unused",
    team_id: FAKE_TEAM_ID,
    api_app_id: "A0PARLEY",
    event,
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: FAKE_TEAM_ID, user_id: "UBOTPARLEY", is_bot: true }],
  };
}

/** The fields of a slash-command request. */
export function slashCommandFields(input: {
  command: string;
  text: string;
  channel: string;
  user: string;
  responseUrl: string;
  threadTs?: string;
}): Record<string, string> {
  return {
    token: "verification-token-unused",
    team_id: FAKE_TEAM_ID,
    team_domain: "fake",
    channel_id: input.channel,
    channel_name: "general",
    user_id: input.user,
    user_name: input.user.toLowerCase(),
    command: input.command,
    text: input.text,
    api_app_id: "A0PARLEY",
    response_url: input.responseUrl,
    trigger_id: randomUUID(),
    ...(input.threadTs === undefined ? {} : { thread_ts: input.threadTs }),
  };
}
