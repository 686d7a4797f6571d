// The bare Discord relay the bench compares parley with: discord.js → fetch → one edit, no storage.
// On /ask it defers (type 5) and starts the provider call at once; at the first token it edits the original
// response once with that text, then reads the rest of the stream without another platform call.
import { Client, Events, GatewayIntentBits } from "discord.js";
import { relayProviderFromEnvironment, streamCompletion } from "./relay-stream.ts";

const environment = process.env;
const provider = relayProviderFromEnvironment(environment);
const client = new Client({
  intents: [GatewayIntentBits.Guilds],
  rest: { api: environment.DISCORD_API_URL ?? "" },
  waitGuildTimeout: 100,
});

client.on(Events.InteractionCreate, (interaction) => {
  if (!interaction.isChatInputCommand() || interaction.commandName !== "ask") return;
  const prompt = interaction.options.getString("prompt") ?? "";
  const deferred = interaction.deferReply();
  const answered = streamCompletion(provider, prompt, (text) => {
    void deferred.then(() => interaction.editReply({ content: text })).catch(reportFailure);
  });
  Promise.all([deferred, answered]).catch(reportFailure);
});

/** Failures go to stderr, where the bench shows them; the relay keeps serving. */
function reportFailure(error: unknown): void {
  process.stderr.write(`relay failure: ${error instanceof Error ? error.message : String(error)}\n`);
}

client.once(Events.ClientReady, () => process.stdout.write("relay is running\n"));
await client.login(environment.DISCORD_TOKEN ?? "");
