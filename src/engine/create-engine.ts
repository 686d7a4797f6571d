// The engine: one entry point per turn that routes to a command and never throws at its caller.
import type OpenAI from "openai";
import { commandFromMessage } from "../command-arguments.ts";
import type { Config } from "../config.ts";
import { ConversationStore } from "../context/conversation-store.ts";
import { readFeedbackTotals } from "../controls/feedback.ts";
import { asParleyError, ParleyError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { ModelCatalog } from "../models/catalog.ts";
import { checkAccess } from "../policy/access.ts";
import { isAdmin } from "../policy/admins.ts";
import { type Admission, createLimitsCheck, effectiveLimits } from "../policy/limits.ts";
import type { ConversationLease } from "../store/locks.ts";
import type { Stores } from "../store/open-stores.ts";
import { historyUnreadable, storeUnreachable } from "../store/store-errors.ts";
import { conversationId, type Engine, type ReplyEvent, type Turn, type TurnKind } from "../types.ts";
import { UsageLedger } from "../usage/usage-ledger.ts";
import { answerTurn, STOPPED_NOTE } from "./answer.ts";
import { ChannelSettings } from "./channel-settings.ts";
import { settingsCommand } from "./channel-settings-command.ts";
import { checkOptions } from "./check-options.ts";
import { helpCommand } from "./help.ts";
import { modelCommand, resetCommand, usageCommand } from "./settings-commands.ts";

/** One day: RETENTION_DAYS is counted in these. */
const DAY_MS = 24 * 60 * 60 * 1000;
/** How long a platform event id is remembered for de-duplication. */
const EVENT_MEMORY_MS = 24 * 60 * 60 * 1000;
/** Longest a turn may run, waiting for its conversation included. */
const TURN_DEADLINE_MS = 10 * 60 * 1000;
/** How long a conversation's lock outlives a process that stopped renewing it (a crash). */
const LOCK_LEASE_MS = 15_000;
/** How much longer than the turn deadline an answer slot (LIMIT_USER_CONCURRENT) lives without being freed. */
const SLOT_LEASE_MARGIN_MS = 60_000;
/** Turns that read or change a conversation's history, and so take its lock. */
const CONVERSATION_KINDS: ReadonlySet<TurnKind> = new Set([
  "ask",
  "search",
  "reason",
  "mention",
  "follow-up",
  "reset",
]);

/** What the engine is built from. */
export interface EngineDependencies {
  config: Config;
  stores: Stores;
  client: OpenAI;
  catalog: ModelCatalog;
  logger: Logger;
  /** A stream silent this long counts as broken (default 180 s: reasoning models may think that long before their first token). */
  idleTimeoutMs?: number;
  /** The clock for usage periods. */
  now?: () => Date;
  /**
   * Longest a turn may run, waiting for its conversation included (default 10 min): then the provider request
   * is aborted, an error is yielded and the conversation's lock is released.
   */
  turnDeadlineMs?: number;
  /** How long a conversation's lock outlives a process that stopped renewing it (default 15 s). */
  lockLeaseMs?: number;
}

/** Builds the engine. */
export function createEngine(deps: EngineDependencies): Engine {
  const conversations = new ConversationStore(deps.stores.history, {
    retentionMs: deps.config.policy.retentionDays * DAY_MS,
  });
  const usage = new UsageLedger(deps.stores.counters, deps.now);
  const settings = new ChannelSettings(deps.stores.settings);
  const turnDeadlineMs = deps.turnDeadlineMs ?? TURN_DEADLINE_MS;
  const leaseMs = deps.lockLeaseMs ?? LOCK_LEASE_MS;
  const limits = createLimitsCheck({
    limits: deps.config.policy.limits,
    quotas: deps.stores.quotas,
    now: deps.now ?? (() => new Date()),
    // A slot outlives any turn: only a process that died holding it leaves it to expire.
    slotLeaseMs: turnDeadlineMs + SLOT_LEASE_MARGIN_MS,
    onReleaseFailed: (error) =>
      deps.logger.warn({ err: error }, "could not free an answer slot; it expires by itself"),
  });

  async function* runTurn(
    turn: Turn,
    context: {
      logger: Logger;
      lease?: ConversationLease;
      signal: AbortSignal;
      /** Keeps the turn's admission, so the reply frees its slot however it ends. */
      admitted: (admission: Admission) => void;
    },
  ): AsyncGenerator<ReplyEvent> {
    switch (turn.kind) {
      case "help": {
        // Help is what people reach for when something is wrong: it answers without the store too.
        const channel = await settings.read(turn.key).catch((error: unknown) => {
          context.logger.warn({ err: error }, "could not read the channel's settings for /help");
          return undefined;
        });
        const unread = "\n(This channel's own settings could not be read right now.)";
        yield done(
          `${helpCommand(deps.config, turn.key.platform, deps.catalog, channel ?? {})}${channel ? "" : unread}`,
        );
        return;
      }
      case "settings":
        yield done(
          await storeCommand(() =>
            settingsCommand(turn, {
              config: deps.config,
              settings,
              catalog: deps.catalog,
              usage,
              conversations,
              logger: context.logger,
            }),
          ),
        );
        return;
      case "model":
        yield done(
          await storeCommand(() =>
            modelCommand(turn, { config: deps.config, settings, catalog: deps.catalog }),
          ),
        );
        return;
      case "usage":
        yield done(
          await storeCommand(async () => {
            const report = await usageCommand(
              turn,
              usage,
              effectiveLimits(deps.config.policy.limits, await settings.read(turn.key)),
            );
            // How people rated the answers is for the admins, who can act on it.
            if (!(await isAdmin(turn, deps.config.policy.adminUsers, context.logger))) return report;
            const votes = await readFeedbackTotals(
              deps.stores.counters,
              turn.key.platform,
              turn.key.workspace,
              (deps.now ?? (() => new Date()))(),
            );
            return `${report}\n• **Feedback this month** (admins only): 👍 ${votes.up} · 👎 ${votes.down}`;
          }),
        );
        return;
      case "reset":
        yield done(await storeCommand(() => resetCommand(turn, conversations, deps.config.commandPrefix)));
        return;
      default:
        yield* answerTurn(turn, {
          config: deps.config,
          catalog: deps.catalog,
          client: deps.client,
          conversations,
          usage,
          logger: context.logger,
          channelChoices: (key) => settings.read(key),
          admit: async (admittedTurn, channel) => {
            const admission = await limits.admit(admittedTurn, channel).catch((error: unknown) => {
              throw error instanceof ParleyError ? error : historyUnreadable(error);
            });
            context.admitted(admission);
            return admission;
          },
          idleTimeoutMs: deps.idleTimeoutMs ?? 180_000,
          ...(context.lease ? { lease: context.lease } : {}),
          signal: context.signal,
          leaseFor: (key) =>
            deps.stores.locks.acquire(conversationId(key), { leaseMs, signal: context.signal }),
        });
    }
  }

  return {
    async *reply(received) {
      const logger = received.requestId ? deps.logger.child({ requestId: received.requestId }) : deps.logger;
      const conversation = conversationId(received.key);
      const deadline = new AbortController();
      let lease: ConversationLease | undefined;
      let admission: Admission | undefined;
      // The deadline also frees the conversation when the consumer stops pulling events (the generator then
      // sits at a yield, where its own `finally` cannot run).
      const timer = setTimeout(() => {
        deadline.abort(turnTimedOut(turnDeadlineMs));
        logger.warn(
          { conversation, turnDeadlineMs },
          "turn deadline passed: stopped it and freed its conversation",
        );
        void lease?.release();
        void admission?.release();
      }, turnDeadlineMs);
      timer.unref();
      let partialText = "";
      let command: TurnKind = received.kind;
      try {
        const asked = commandFromMessage(received, deps.config.commandPrefix);
        command = asked.kind;
        const access = checkAccess(asked, deps.config.policy);
        if (!access.allowed) throw new ParleyError("access_denied", access.message);
        const turn = checkOptions(asked, deps.config.allowedModels);
        // Turns of one conversation run one after another (across processes on Redis), so each sees the
        // previous exchange; the lock is held until the consumer has shown the whole answer.
        if (CONVERSATION_KINDS.has(turn.kind)) {
          // A turn stopped while it waits for its conversation gives up its place in the queue.
          const waitSignal = received.signal
            ? AbortSignal.any([deadline.signal, received.signal])
            : deadline.signal;
          lease = await deps.stores.locks
            .acquire(conversation, { leaseMs, signal: waitSignal })
            .catch((error: unknown) => {
              throw error instanceof ParleyError ? error : historyUnreadable(error);
            });
        }
        const admitted = (held: Admission) => {
          admission = held;
        };
        for await (const event of runTurn(turn, { logger, lease, signal: deadline.signal, admitted })) {
          if (event.type === "text") partialText += event.delta;
          yield event;
        }
      } catch (thrown) {
        if (received.signal?.aborted && !deadline.signal.aborted && partialText === "") {
          yield { type: "done", result: { text: "", citations: [], notes: [STOPPED_NOTE], stopped: true } };
          return;
        }
        const error = asParleyError(thrown);
        logFailure(logger, error, conversation, command);
        yield { type: "error", error, partialText };
      } finally {
        clearTimeout(timer);
        await Promise.all([lease?.release(), admission?.release()]);
      }
    },
    access(turn) {
      return checkAccess(turn, deps.config.policy);
    },
    async hasConversation(key) {
      return conversations.has(key);
    },
    async claimEvent(platform, eventId) {
      return deps.stores.claimOnce(`event:${platform}:${eventId}`, EVENT_MEMORY_MS);
    },
    allowedModels() {
      return deps.config.allowedModels;
    },
  };
}

/** Runs a command that reads or writes the store; a store failure becomes one clear sentence. */
async function storeCommand<Result>(command: () => Promise<Result>): Promise<Result> {
  try {
    return await command();
  } catch (error) {
    throw error instanceof ParleyError ? error : storeUnreachable(error);
  }
}

/** The error of a turn stopped by its overall deadline. */
function turnTimedOut(turnDeadlineMs: number): ParleyError {
  const minutes = Math.max(1, Math.round(turnDeadlineMs / 60_000));
  return new ParleyError(
    "turn_timeout",
    `This answer took longer than parley allows (${minutes} min) and was stopped; try again, perhaps with a shorter question.`,
  );
}

function done(text: string): ReplyEvent {
  return { type: "done", result: { text, citations: [], notes: [] } };
}

/** Errors that are parley's policy at work, not failures. */
const REFUSALS: ReadonlySet<string> = new Set(["limit_reached", "access_denied", "not_admin"]);

function logFailure(logger: Logger, error: ParleyError, conversation: string, command: string): void {
  const fields = { conversation, command, code: error.code, detail: error.message };
  if (error.code === "bad_input") logger.info(fields, "turn rejected");
  else if (REFUSALS.has(error.code)) logger.info(fields, "turn refused");
  else if (error.code === "internal") logger.error({ ...fields, err: error.cause }, "turn failed");
  else logger.warn({ ...fields, cause: String(error.cause ?? "") }, "turn failed");
}
