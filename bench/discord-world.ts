// The fake Discord as the bench drives it: one thread per conversation, /ask slash commands over the gateway.
import { performance } from "node:perf_hooks";
import { type FakeChannel, type FakeInteraction, startFakeDiscord } from "../test/support/fake-discord.ts";
import type { Conversation, PlatformWorld } from "./platform-world.ts";
import type { Turn, TurnBook } from "./turns.ts";

interface DiscordConversation extends Conversation {
  thread: FakeChannel;
}

/** Starts the fake Discord; every REST call that carries a turn's marker is timestamped in `book`. */
export async function startDiscordWorld(book: TurnBook): Promise<PlatformWorld<DiscordConversation>> {
  let rateLimited = 0;
  const discord = await startFakeDiscord({
    onRequest: (request, status) => {
      const atMs = performance.now();
      if (status === 429) rateLimited++;
      if (request.body !== undefined) book.notePlatformCall(JSON.stringify(request.body), status, atMs);
    },
  });
  const interactions = new Map<number, FakeInteraction>();
  let opened = 0;
  return {
    botEnv: { DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl },
    async openConversations(count) {
      return Array.from({ length: count }, () => {
        const thread = discord.addThread(`bench ${++opened}`, discord.textChannel);
        return {
          thread,
          storeId: `discord:${discord.guildId}:${discord.textChannel.id}:${thread.id}`,
        };
      });
    },
    async send(conversation, turn) {
      turn.eventAtMs = performance.now();
      interactions.set(
        turn.number,
        discord.sendCommand("ask", { prompt: turn.prompt }, { channel: conversation.thread }),
      );
    },
    shows(_conversation, turn: Turn) {
      const interaction = interactions.get(turn.number);
      return (
        interaction !== undefined &&
        discord.repliesTo(interaction).some((message) => message.content.includes(turn.expected))
      );
    },
    rateLimitedCount: () => rateLimited,
    close: () => discord.close(),
  };
}
