// The fake Slack as the bench drives it: one channel thread per conversation, app_mention events over HTTP.
import { performance } from "node:perf_hooks";
import { FAKE_BOT_USER_ID, FAKE_TEAM_ID, startFakeSlack } from "../test/support/fake-slack.ts";
import { deliverEvent, eventEnvelope } from "../test/support/fake-slack-delivery.ts";
import type { Conversation, PlatformWorld } from "./platform-world.ts";
import type { Turn, TurnBook } from "./turns.ts";

const BOT_TOKEN = "xoxb-bench";
const SIGNING_SECRET = "bench-signing-secret";
const USER_ID = "U0BENCHUSER";

interface SlackConversation extends Conversation {
  channel: string;
  rootTs: string;
}

/**
 * Starts the fake Slack; the bot listens on `botPort` (HTTP mode) for signed event deliveries. Every Web API call
 * that carries a turn's marker is timestamped in `book`.
 */
export async function startSlackWorld(
  book: TurnBook,
  botPort: number,
): Promise<PlatformWorld<SlackConversation>> {
  let rateLimited = 0;
  const slack = await startFakeSlack({
    onCall: (call, status) => {
      const atMs = performance.now();
      if (status === 429) rateLimited++;
      book.notePlatformCall(JSON.stringify(call.params), status, atMs);
      // A natively streamed answer arrives in pieces: what the message shows after the call is what counts.
      if (status < 400 && (call.method === "chat.appendStream" || call.method === "chat.stopStream")) {
        const shown = slack.messages.find(
          (message) => message.channel === call.params.channel && message.ts === call.params.ts,
        );
        if (shown) book.notePlatformCall(shown.text, status, atMs);
      }
    },
  });
  const endpoint = { url: `http://127.0.0.1:${botPort}/slack/events`, signingSecret: SIGNING_SECRET };
  let opened = 0;
  return {
    botEnv: {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: String(botPort),
    },
    async openConversations(count) {
      return Array.from({ length: count }, () => {
        const channel = `CBENCH${String(++opened).padStart(5, "0")}`;
        const root = slack.addUserMessage({ channel, user: USER_ID, text: "A thread for the bench" });
        return { channel, rootTs: root.ts, storeId: `slack:${FAKE_TEAM_ID}:${channel}:${root.ts}` };
      });
    },
    async send(conversation, turn) {
      const text = `<@${FAKE_BOT_USER_ID}> ${turn.prompt}`;
      const mention = slack.addUserMessage({
        channel: conversation.channel,
        threadTs: conversation.rootTs,
        user: USER_ID,
        text,
      });
      const event = {
        type: "app_mention",
        channel: conversation.channel,
        user: USER_ID,
        text,
        ts: mention.ts,
        event_ts: mention.ts,
        thread_ts: conversation.rootTs,
      };
      turn.eventAtMs = performance.now();
      const delivery = await deliverEvent(endpoint, eventEnvelope(event));
      if (delivery.status !== 200) {
        throw new Error(`the bot answered the event delivery with ${delivery.status}: ${delivery.text}`);
      }
    },
    shows(conversation, turn: Turn) {
      return slack
        .thread(conversation.channel, conversation.rootTs)
        .some((message) => message.text.includes(turn.expected));
    },
    rateLimitedCount: () => rateLimited,
    close: () => slack.close(),
  };
}
