// The engine: one entry point per turn that routes to a command and never throws at its caller.
import type OpenAI from "openai";
import { commandFromMessage } from "../command-arguments.ts";
import type { Config } from "../config.ts";
import { ConversationStore } from "../context/conversation-store.ts";
import { asParleyError, type ParleyError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { ModelCatalog } from "../models/catalog.ts";
import type { Stores } from "../store/open-stores.ts";
import { conversationId, type Engine, type ReplyEvent, type Turn } from "../types.ts";
import { UsageLedger } from "../usage/usage-ledger.ts";
import { answerTurn } from "./answer.ts";
import { KeyedMutex } from "./keyed-mutex.ts";
import {
  ChannelSettings,
  helpCommand,
  modelCommand,
  resetCommand,
  usageCommand,
} from "./settings-commands.ts";

/** How long a platform event id is remembered for de-duplication. */
const EVENT_MEMORY_MS = 24 * 60 * 60 * 1000;

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
}

/** Builds the engine. */
export function createEngine(deps: EngineDependencies): Engine {
  const conversations = new ConversationStore(deps.stores.history);
  const usage = new UsageLedger(deps.stores.counters, deps.now);
  const settings = new ChannelSettings(deps.stores.settings);
  const turnsInOrder = new KeyedMutex();

  async function* runTurn(received: Turn): AsyncGenerator<ReplyEvent> {
    const turn = commandFromMessage(received);
    switch (turn.kind) {
      case "help":
        yield done(helpCommand(deps.config));
        return;
      case "model":
        yield done(await modelCommand(turn, { config: deps.config, settings, catalog: deps.catalog }));
        return;
      case "usage":
        yield done(await usageCommand(turn, usage));
        return;
      case "reset":
        yield done(await resetCommand(turn, conversations));
        return;
      default:
        yield* answerTurn(turn, {
          config: deps.config,
          catalog: deps.catalog,
          client: deps.client,
          conversations,
          usage,
          logger: deps.logger,
          channelModel: (key) => settings.chatModel(key),
          idleTimeoutMs: deps.idleTimeoutMs ?? 180_000,
        });
    }
  }

  return {
    async *reply(turn) {
      const conversation = conversationId(turn.key);
      // Turns of one conversation run one after another so each sees the previous exchange.
      const release = await turnsInOrder.acquire(conversation);
      let partialText = "";
      try {
        for await (const event of runTurn(turn)) {
          if (event.type === "text") partialText += event.delta;
          yield event;
        }
      } catch (thrown) {
        const error = asParleyError(thrown);
        logFailure(deps.logger, error, conversation, turn.kind);
        yield { type: "error", error, partialText };
      } finally {
        release();
      }
    },
    async hasConversation(key) {
      return (await conversations.load(key)) !== undefined;
    },
    async claimEvent(platform, eventId) {
      return deps.stores.claimOnce(`event:${platform}:${eventId}`, EVENT_MEMORY_MS);
    },
    allowedModels() {
      return deps.config.allowedModels;
    },
  };
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
