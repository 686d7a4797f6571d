// Claims a platform event for this process before anything is posted, the same way on every platform.
import type { Logger } from "../logger.ts";
import type { Engine } from "../types.ts";

/**
 * True when this process should answer the event: it claimed it, or the store cannot tell (then the turn itself
 * fails on the store and the user hears why, instead of silence). False when another process already has it.
 */
export async function claimToAnswer(
  engine: Engine,
  platform: string,
  eventId: string,
  logger: Logger,
): Promise<boolean> {
  try {
    const claimed = await engine.claimEvent(platform, eventId);
    if (!claimed) logger.debug({ platform, eventId }, "event already taken by another process");
    return claimed;
  } catch (error) {
    logger.warn(
      { platform, eventId, err: error },
      "could not claim the event (store unreachable): answering",
    );
    return true;
  }
}
