// Which gateway shards this process runs: all of them, in one process, sharing the engine and the store.
import type { ClientOptions } from "discord.js";

/**
 * discord.js options for DISCORD_SHARDS: a number runs shards 0…n-1 of n; "auto" asks Discord (GET /gateway/bot)
 * how many to run. The shard ids are always given, so discord.js never reads them from the environment.
 */
export function shardOptions(shards: number | "auto"): Pick<ClientOptions, "shards" | "shardCount"> {
  if (shards === "auto") return { shards: "auto" };
  return { shards: Array.from({ length: shards }, (_, shardId) => shardId), shardCount: shards };
}
