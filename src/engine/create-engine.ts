// The engine: one entry point per turn that routes to a command and never throws at its caller.
import type OpenAI from "openai";
import { commandFromMessage } from "../command-arguments.ts";
import type { Config } from "../config.ts";
import { ConversationStore } from "../context/conversation-store.ts";
import { asParleyError, ParleyError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { ModelCatalog } from "../models/catalog.ts";
import type { ConversationLease } from "../store/locks.ts";
import type { Stores } from "../store/open-stores.ts";
import { historyUnreadable, storeUnreachable } from "../store/store-errors.ts";
import { conversationId, type Engine, type ReplyEvent, type Turn, type TurnKind } from "../types.ts";
import { UsageLedger } from "../usage/usage-ledger.ts";
import { answerTurn, STOPPED_NOTE } from "./answer.ts";
import { checkOptions } from "./check-options.ts";
import { helpCommand } from "./help.ts";
import { ChannelSettings, modelCommand, resetCommand, usageCommand } from "./settings-commands.ts";

/** How long a platform event id is remembered for de-duplication. */
const EVENT_MEMORY_MS = 24 * 60 * 60 * 1000;
/** Longest a turn may run, waiting for its conversation included. */
const TURN_DEADLINE_MS = 10 * 60 * 1000;
/** How long a conversation's lock outlives a process that stopped renewing it (a crash). */
const LOCK_LEASE_MS = 15_000;
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
  const conversations = new ConversationStore(deps.stores.history);
  const usage = new UsageLedger(deps.stores.counters, deps.now);
  const settings = new ChannelSettings(deps.stores.settings);
  const turnDeadlineMs = deps.turnDeadlineMs ?? TURN_DEADLINE_MS;
  const leaseMs = deps.lockLeaseMs ?? LOCK_LEASE_MS;

  async function* runTurn(
    turn: Turn,
    context: { logger: Logger; lease?: ConversationLease; signal: AbortSignal },
  ): AsyncGenerator<ReplyEvent> {
    switch (turn.kind) {
      case "help":
        yield done(helpCommand(deps.config, turn.key.platform));
        return;
      case "model":
        yield done(
          await storeCommand(() =>
            modelCommand(turn, { config: deps.config, settings, catalog: deps.catalog }),
          ),
        );
        return;
      case "usage":
        yield done(await storeCommand(() => usageCommand(turn, usage)));
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
          chosenModel: (key) => settings.chatModel(key),
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
      // The deadline also frees the conversation when the consumer stops pulling events (the generator then
      // sits at a yield, where its own `finally` cannot run).
      const timer = setTimeout(() => {
        deadline.abort(turnTimedOut(turnDeadlineMs));
        logger.warn(
          { conversation, turnDeadlineMs },
          "turn deadline passed: stopped it and freed its conversation",
        );
        void lease?.release();
      }, turnDeadlineMs);
      timer.unref();
      let partialText = "";
      let command: TurnKind = received.kind;
      try {
        const asked = commandFromMessage(received, deps.config.commandPrefix);
        command = asked.kind;
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
        for await (const event of runTurn(turn, { logger, lease, signal: deadline.signal })) {
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
        await lease?.release();
      }
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
async function storeCommand(command: () => Promise<string>): Promise<string> {
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

function logFailure(logger: Logger, error: ParleyError, conversation: string, command: string): void {
  const fields = { conversation, command, code: error.code, detail: error.message };
  if (error.code === "bad_input") logger.info(fields, "turn rejected");
  else if (error.code === "internal") logger.error({ ...fields, err: error.cause }, "turn failed");
  else logger.warn({ ...fields, cause: String(error.cause ?? "") }, "turn failed");
}
