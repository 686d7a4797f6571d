// Stop and feedback presses on a reply's controls: who may press them, the stop that reaches the streaming replica.
import type Keyv from "keyv";
import type { Logger } from "../logger.ts";
import { isAdminUser } from "../policy/admins.ts";
import type { Counters } from "../store/counters.ts";
import { type ConversationKey, conversationId, type Turn, type TurnKind, type Venue } from "../types.ts";
import { type FeedbackVote, recordVote } from "./feedback.ts";

/** What parley remembers of a reply while its controls can be pressed. */
export interface ReplyRecord {
  askerId: string;
  platform: string;
  workspace: string;
  channel: string;
  command: TurnKind;
  /** The model that answered, once the reply ended. */
  model?: string;
  /** What Retry runs again: the turn as asked, without its attachments. */
  turn?: StoredTurn;
}

/** The parts of a turn that can be stored and asked again. */
export interface StoredTurn {
  key: ConversationKey;
  author: { id: string; displayName: string; roles?: readonly string[] };
  kind: TurnKind;
  text: string;
  subcommand?: string;
  options?: Record<string, string | undefined>;
  venue?: Venue;
}

/** Who pressed a control. */
export interface Presser {
  platform: string;
  id: string;
  /** Whether the platform makes them an admin where they pressed (asked only when it matters). */
  isPlatformAdmin?: () => Promise<boolean>;
}

/** What a press did: `message` is said privately to the presser when there is something to say. */
export type PressOutcome = { done: true; message?: string } | { done: false; message: string };

/** What a Retry press gives: the turn to run again, or the sentence saying why not. */
export type RetryOutcome = { done: true; turn: Turn } | { done: false; message: string };

/** A turn the lifecycle is running, as its controls see it. */
export interface WatchedReply {
  /** Aborts when someone allowed to presses Stop (here or on another replica). */
  signal: AbortSignal;
  /** Ends the watch and remembers the model that answered, for feedback. */
  end(model: string | undefined): void;
}

/** The controls of every reply this process writes. */
export interface ReplyControls {
  /** Starts watching a turn about to run; the lifecycle joins `signal` to the turn. */
  watch(turn: Turn, requestId: string): WatchedReply;
  /** Stops a reply still streaming; only its asker or an admin may. */
  stop(requestId: string, presser: Presser): Promise<PressOutcome>;
  /**
   * Stops the replies being written in a conversation whose asker is the presser (or any, for someone in
   * ADMIN_USERS): a platform's own stop for a thread (Slack's agent session stop), which names no reply.
   */
  stopConversation(key: ConversationKey, presser: Presser): Promise<void>;
  /** Records (or changes) the presser's vote on a finished reply. */
  vote(requestId: string, presser: Presser, vote: FeedbackVote): Promise<PressOutcome>;
  /** The turn a failed reply answered, to run again; only its asker or an admin may. */
  retry(requestId: string, presser: Presser): Promise<RetryOutcome>;
}

/** Said privately to someone who pressed Retry on another person's answer. */
export const NOT_YOURS_TO_RETRY = "Only the person who asked (or an admin) can retry this answer.";

/** Said privately to someone who pressed Stop on another person's answer. */
export const NOT_YOURS_TO_STOP = "Only the person who asked (or an admin) can stop this answer.";
/** Said privately when the reply behind a control is no longer remembered. */
export const REPLY_FORGOTTEN = "parley no longer remembers this answer.";
/** Said privately to a Stop pressed after the answer ended (its last edit, which drops the button, failed). */
export const ALREADY_FINISHED = "This answer has already finished.";
/** Said privately when the store could not be reached for a press. */
export const PRESS_FAILED =
  "parley could not reach its store just now, so nothing happened; try again in a moment.";

/** How long a reply's controls keep working after it started. */
const RECORD_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** How long a stop request waits for the replica streaming the answer to read it. */
const STOP_FLAG_TTL_MS = 15 * 60 * 1000;
/** How often a replica sharing its store with others looks for a stop pressed elsewhere. */
const STOP_POLL_INTERVAL_MS = 500;

/** What the controls are built from. */
export interface ReplyControlsOptions {
  /** The store's `controls` namespace: reply records, stop requests, votes. */
  store: Keyv;
  counters: Counters;
  /** Whether other processes share the store (Redis): then stops are also looked for there. */
  shared: boolean;
  adminUsers: readonly string[];
  logger: Logger;
  now?: () => Date;
  stopPollIntervalMs?: number;
}

/** Creates the controls of one process. */
export function createReplyControls(options: ReplyControlsOptions): ReplyControls {
  const { store, logger } = options;
  const running = new Map<
    string,
    { controller: AbortController; record: ReplyRecord; conversation: string }
  >();
  /** Whether a conversation stop pressed at `atMs` by `byId` stops a reply asked by `record` that began at `startedAtMs`. */
  const conversationStopApplies = (
    stop: { atMs: number; byId: string },
    record: ReplyRecord,
    startedAtMs: number,
  ): boolean =>
    stop.atMs >= startedAtMs &&
    (stop.byId === record.askerId || options.adminUsers.includes(`${record.platform}:${stop.byId}`));
  const pollIntervalMs = options.stopPollIntervalMs ?? STOP_POLL_INTERVAL_MS;

  const readRecord = async (requestId: string): Promise<ReplyRecord | undefined> =>
    (await store.get<ReplyRecord>(`reply:${requestId}`)) ?? undefined;

  const mayControl = async (record: ReplyRecord, presser: Presser): Promise<boolean> =>
    (record.platform === presser.platform && record.askerId === presser.id) ||
    isAdminUser(presser, options.adminUsers, logger);

  return {
    watch(turn, requestId) {
      const controller = new AbortController();
      const startedAtMs = Date.now();
      const conversation = conversationId(turn.key);
      const record: ReplyRecord = {
        askerId: turn.author.id,
        platform: turn.key.platform,
        workspace: turn.key.workspace,
        channel: turn.key.channel,
        command: turn.kind,
        turn: storedTurn(turn),
      };
      running.set(requestId, { controller, record, conversation });
      const remember = (value: ReplyRecord) =>
        store
          .set(`reply:${requestId}`, value, RECORD_TTL_MS)
          .catch((error: unknown) =>
            logger.warn({ err: error, requestId }, "could not remember a reply for its controls"),
          );
      // Written beside the provider call: the controls appear only with the first text, well after.
      void remember(record);
      let polling: NodeJS.Timeout | undefined;
      if (options.shared) {
        polling = setInterval(() => {
          // Both flags in one round trip.
          store
            .getMany<unknown>([`stop:${requestId}`, `stop-conversation:${conversation}`])
            .then(([flag, found]) => {
              const conversationStop = found as { atMs: number; byId: string } | undefined;
              if (flag) controller.abort();
              if (conversationStop && conversationStopApplies(conversationStop, record, startedAtMs))
                controller.abort();
            })
            .catch((error: unknown) => logger.debug({ err: error, requestId }, "could not look for a stop"));
        }, pollIntervalMs);
        polling.unref();
      }
      const signal = turn.signal ? AbortSignal.any([turn.signal, controller.signal]) : controller.signal;
      return {
        signal,
        end(model) {
          clearInterval(polling);
          running.delete(requestId);
          if (model !== undefined) void remember({ ...record, model });
        },
      };
    },

    async stop(requestId, presser) {
      try {
        const record = await readRecord(requestId);
        if (!record) return { done: false, message: REPLY_FORGOTTEN };
        if (!(await mayControl(record, presser))) return { done: false, message: NOT_YOURS_TO_STOP };
        const local = running.get(requestId);
        if (local) local.controller.abort();
        // Alone on its store, a reply not running here is not running anywhere.
        else if (!options.shared) return { done: false, message: ALREADY_FINISHED };
        else await store.set(`stop:${requestId}`, true, STOP_FLAG_TTL_MS);
        logger.info({ requestId, by: `${presser.platform}:${presser.id}` }, "reply stopped by a press");
        return { done: true };
      } catch (error) {
        logger.warn({ err: error, requestId }, "could not stop a reply");
        return { done: false, message: PRESS_FAILED };
      }
    },

    async stopConversation(key, presser) {
      const conversation = conversationId(key);
      const stop = { atMs: Date.now(), byId: presser.id };
      let stoppedHere = false;
      for (const entry of running.values()) {
        if (entry.conversation !== conversation) continue;
        if (!conversationStopApplies(stop, entry.record, 0)) continue;
        entry.controller.abort();
        stoppedHere = true;
      }
      if (stoppedHere || !options.shared) return;
      // The reply may be streaming on another replica: it looks for this within half a second.
      await store
        .set(`stop-conversation:${conversation}`, stop, STOP_FLAG_TTL_MS)
        .catch((error: unknown) => logger.warn({ err: error, conversation }, "could not pass on a stop"));
    },

    async retry(requestId, presser) {
      try {
        const record = await readRecord(requestId);
        if (!record?.turn) return { done: false, message: REPLY_FORGOTTEN };
        if (!(await mayControl(record, presser))) return { done: false, message: NOT_YOURS_TO_RETRY };
        const { author, ...asked } = record.turn;
        return { done: true, turn: { ...asked, author: { ...author, isBot: false } } };
      } catch (error) {
        logger.warn({ err: error, requestId }, "could not read a reply to retry");
        return { done: false, message: PRESS_FAILED };
      }
    },

    async vote(requestId, presser, vote) {
      try {
        const record = await readRecord(requestId);
        if (!record) return { done: false, message: REPLY_FORGOTTEN };
        await recordVote(
          { store, counters: options.counters, now: options.now ?? (() => new Date()) },
          { requestId, record, voterId: presser.id, vote },
        );
        return {
          done: true,
          message: vote === "up" ? "Thanks for the 👍." : "Thanks for the 👎: the admins will see it.",
        };
      } catch (error) {
        logger.warn({ err: error, requestId }, "could not record a vote");
        return { done: false, message: PRESS_FAILED };
      }
    },
  };
}

/** The turn as it can be stored: no functions, no signal, no attachments (their downloads would need the platform). */
function storedTurn(turn: Turn): StoredTurn {
  return {
    key: turn.key,
    author: {
      id: turn.author.id,
      displayName: turn.author.displayName,
      ...(turn.author.roles ? { roles: turn.author.roles } : {}),
    },
    kind: turn.kind,
    text: turn.text,
    ...(turn.subcommand === undefined ? {} : { subcommand: turn.subcommand }),
    ...(turn.options === undefined ? {} : { options: turn.options }),
    ...(turn.venue === undefined ? {} : { venue: turn.venue }),
  };
}
