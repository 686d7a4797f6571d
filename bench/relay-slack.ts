// The bare Slack relay the bench compares parley with: Bolt (HTTP mode, as parley runs in the bench) → fetch →
// one chat.postMessage with the first token's text, no storage; the rest of the stream is read without a call.
import { App, LogLevel } from "@slack/bolt";
import { relayProviderFromEnvironment, streamCompletion } from "./relay-stream.ts";

const environment = process.env;
const provider = relayProviderFromEnvironment(environment);
const app = new App({
  token: environment.SLACK_BOT_TOKEN ?? "",
  signingSecret: environment.SLACK_SIGNING_SECRET ?? "",
  clientOptions: { slackApiUrl: environment.SLACK_API_URL ?? "" },
  logLevel: LogLevel.ERROR,
});

// Bolt acknowledges the event itself before this listener runs.
app.event("app_mention", async ({ event, client }) => {
  const thread = event.thread_ts ?? event.ts;
  const posted: Promise<unknown>[] = [];
  await streamCompletion(provider, event.text, (text) => {
    posted.push(client.chat.postMessage({ channel: event.channel, thread_ts: thread, text }));
  });
  await Promise.all(posted);
});

app.error(async (error) => {
  process.stderr.write(`relay failure: ${error.message}\n`);
});

await app.start(Number(environment.PORT));
process.stdout.write("relay is running\n");
