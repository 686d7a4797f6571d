// Claims a platform event for this process before anything is posted, the same way on every platform.
import type { Logger } from "../logger.ts";
import type { Engine } from "../types.ts";

/** Who answers an event: this process, another one that claimed it first, or nobody knows (the store is down). */
export type ClaimOutcome = "mine" | "taken" | "store_down";

/** Claims the event in the store; a store failure is logged and reported as "store_down", never as "taken". */
export async function claimEvent(
  engine: Engine,
  platform: string,
  eventId: string,
  logger: Logger,
): Promise<ClaimOutcome> {
  try {
    if (await engine.claimEvent(platform, eventId)) return "mine";
    logger.debug({ platform, eventId }, "event already taken by another process");
    return "taken";
  } catch (error) {
    logger.warn({ platform, eventId, err: error }, "could not claim the event: the store is unreachable");
    return "store_down";
  }
}

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
  return (await claimEvent(engine, platform, eventId, logger)) !== "taken";
}
