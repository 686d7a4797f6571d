// Answers a model turn: history in, trimmed to the window, streamed from the provider, saved when complete.
import type OpenAI from "openai";
import type { Config } from "../config.ts";
import type { ConversationStore } from "../context/conversation-store.ts";
import { countMessageTokens, loadExactCounting } from "../context/count-tokens.ts";
import { fitToWindow, IMAGE_INPUT_TOKENS } from "../context/trim.ts";
import { buildChatRequest, type ChatMessage } from "../llm/build-request.ts";
import { type CompletionEvent, runCompletion } from "../llm/complete.ts";
import type { Logger } from "../logger.ts";
import type { ModelCatalog } from "../models/catalog.ts";
import type { Admission } from "../policy/limits.ts";
import type { ConversationLease } from "../store/locks.ts";
import { ANSWER_NOT_SAVED_NOTE, historyUnreadable } from "../store/store-errors.ts";
import { type ConversationKey, conversationId, type ReplyEvent, type Turn, type Usage } from "../types.ts";
import { type UsageLedger, usageScopes } from "../usage/usage-ledger.ts";
import { prepareAttachments } from "./attachments.ts";
import type { ChannelChoices } from "./channel-settings.ts";
import { checkPrompt, routeTurn, unavailableModelRemedy } from "./routing.ts";

/** Shown under an answer the turn's signal stopped (Ctrl-C, a Stop button). */
export const STOPPED_NOTE = "Stopped before it was finished.";
/** Closes a stopped answer in the stored conversation, so the model sees later that it was cut there. */
const STOPPED_MARK = "[Stopped here before it was finished.]";

/** What answering needs. */
export interface AnswerDependencies {
  config: Config;
  catalog: ModelCatalog;
  client: OpenAI;
  conversations: ConversationStore;
  usage: UsageLedger;
  logger: Logger;
  /** The settings of the turn's channel (and its thread's /model choice). */
  channelChoices(key: ConversationKey): Promise<ChannelChoices>;
  /** The limits check; throws a PolicyRefusal when a limit is reached. */
  admit(turn: Turn, channel: ChannelChoices): Promise<Admission>;
  idleTimeoutMs: number;
  /** The turn's hold on its conversation; the exchange is saved only while it still holds. */
  lease?: ConversationLease;
  /** Aborts at the turn's deadline; its reason is the error the turn ends with. */
  signal?: AbortSignal;
  /** Takes another conversation's lock, for an exchange saved elsewhere than the turn's key (`Turn.historyKey`). */
  leaseFor(key: ConversationKey): Promise<ConversationLease>;
}

/** Streams the answer to an ask, search, reason, mention or follow-up. Throws ParleyError on failure. */
export async function* answerTurn(turn: Turn, deps: AnswerDependencies): AsyncGenerator<ReplyEvent> {
  const conversationName = conversationId(turn.key);
  const prompt = checkPrompt(turn, deps.config.commandPrefix);
  // A history that cannot be read is never taken for an empty one: answering without it would mislead, and
  // saving afterwards would bury the real history under a new one.
  const [conversation, channel] = await Promise.all([
    deps.conversations.load(turn.key),
    deps.channelChoices(turn.key),
  ]).catch((error: unknown) => {
    throw historyUnreadable(error);
  });
  const route = routeTurn({
    turn,
    config: deps.config,
    catalog: deps.catalog,
    ...(channel.chatModel ? { chosenModel: channel.chatModel } : {}),
    channelModels: {
      ...(channel.searchModel ? { search: channel.searchModel } : {}),
      ...(channel.reasonModel ? { reason: channel.reasonModel } : {}),
    },
  });
  // Policy before the provider: a turn over a limit ends here, costing nothing.
  await deps.admit(turn, channel);
  if (route.status) yield { type: "status", text: route.status };

  const modelInfo = deps.catalog.info(route.model);
  // A new thread is marked as parley's beside the provider call, not before it: under the key its exchange is saved
  // to, which an adapter may learn only once its thread exists (`Turn.historyKey`).
  const opened = conversation ? undefined : openConversation(deps, turn, route.model);
  const files = await prepareAttachments(
    turn.attachments ?? [],
    turn.readAttachment,
    modelInfo.supportsVision,
    deps.logger,
  );
  const speaker = turn.author.displayName.trim() || "Someone";
  const question = turn.contextNote ? `${prompt}\n\n${turn.contextNote}` : prompt;
  const userContent = [`${speaker}: ${question}`, ...files.textBlocks].join("\n\n");
  const { messages, droppedMessages } = await fitToWindow({
    systemPrompt: channel.prompt ?? deps.config.systemPrompt,
    history: conversation?.messages ?? [],
    current: { role: "user", content: userContent, imageUrls: files.imageUrls },
    contextWindowTokens: modelInfo.contextWindowTokens,
    outputBudgetTokens: route.outputBudgetTokens,
  });
  const request = buildChatRequest({
    model: route.model,
    messages,
    maxOutputTokens: route.outputBudgetTokens,
    reasoningEffort: route.reasoningEffort,
    stream: route.stream,
  });

  if (droppedMessages > 0)
    deps.logger.debug(
      { conversation: conversationName, model: route.model, droppedMessages },
      "history trimmed",
    );

  const storedUser = files.imageUrls.length
    ? `${userContent}\n\n[${files.imageUrls.length} image(s) attached]`
    : userContent;
  const requestStartedMs = Date.now();
  let providerFirstTokenMs: number | undefined;
  let streamed = "";
  const modelRemedy = unavailableModelRemedy(turn, deps.config.commandPrefix);
  try {
    for await (const event of completionUntilStopped(deps, request, turn.signal, modelRemedy)) {
      if (event.type === "model") {
        yield event;
        continue;
      }
      if (event.type === "text") {
        providerFirstTokenMs ??= Date.now() - requestStartedMs;
        streamed += event.delta;
        yield event;
        continue;
      }
      if (event.type === "stopped") {
        // What was written stays in the conversation, marked, so a follow-up ("go on") knows where it ended.
        await opened;
        const saved =
          streamed.trim() === "" ||
          (await saveExchange(deps, await historyKeyOf(turn), {
            user: storedUser,
            assistant: `${streamed.trimEnd()}\n\n${STOPPED_MARK}`,
            model: route.model,
          }));
        // The provider charges for what it wrote before the stop but reports no usage for it: the limits count an
        // estimate, so stopping just before the end is no way around them.
        if (streamed.trim() !== "")
          await recordUsage(deps, turn, conversationName, await estimatedUsage(messages, streamed));
        yield {
          type: "done",
          result: {
            text: streamed,
            citations: [],
            ...(streamed.trim() === "" ? {} : { model: route.model }),
            ...(providerFirstTokenMs === undefined ? {} : { providerFirstTokenMs }),
            notes: [...route.notes, ...files.notes, STOPPED_NOTE, ...(saved ? [] : [ANSWER_NOT_SAVED_NOTE])],
            stopped: true,
          },
        };
        return;
      }
      // Keep the sources with the answer, so a follow-up can ask about "the second link".
      const storedAnswer = event.citations.length
        ? `${event.text}\n\nSources:\n${event.citations.map((source, index) => `${index + 1}. ${source.url}`).join("\n")}`
        : event.text;
      // The answer is complete: a store failure must not take it from the user, only be logged and noted.
      await opened;
      const saved = await saveExchange(deps, await historyKeyOf(turn), {
        user: storedUser,
        assistant: storedAnswer,
        model: route.model,
      });
      if (event.usage) await recordUsage(deps, turn, conversationName, event.usage);
      yield {
        type: "done",
        result: {
          text: event.text,
          citations: event.citations,
          model: event.model,
          usage: event.usage,
          // A non-streamed answer (search) brings its first text with its last.
          providerFirstTokenMs: providerFirstTokenMs ?? Date.now() - requestStartedMs,
          notes: [...route.notes, ...files.notes, ...(saved ? [] : [ANSWER_NOT_SAVED_NOTE])],
        },
      };
    }
  } catch (error) {
    // A stream that broke after some text was charged for it, though the provider reported no usage: it counts.
    if (streamed.trim() !== "")
      await recordUsage(deps, turn, conversationName, await estimatedUsage(messages, streamed));
    throw error;
  }
}

/**
 * The provider's events. When the turn's own signal (`stop`) aborts the request, ends with "stopped"; when its
 * deadline does, throws the deadline's error. `deps.signal` aborts on either (the engine joins them).
 */
async function* completionUntilStopped(
  deps: AnswerDependencies,
  request: ReturnType<typeof buildChatRequest>,
  stop: AbortSignal | undefined,
  modelRemedy: string,
): AsyncGenerator<CompletionEvent | { type: "stopped" }> {
  const signal = deps.signal && stop ? AbortSignal.any([deps.signal, stop]) : (deps.signal ?? stop);
  if (stop?.aborted) {
    yield { type: "stopped" };
    return;
  }
  try {
    yield* runCompletion(deps.client, request, {
      secrets: [deps.config.aimlApiKey],
      modelRemedy,
      idleTimeoutMs: deps.idleTimeoutMs,
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (stop?.aborted && signal?.reason === stop.reason) {
      yield { type: "stopped" };
      return;
    }
    if (signal?.aborted) throw signal.reason;
    throw error;
  }
}

/** Adds an exchange's usage to its counters; a store failure is logged, never taken from the user's answer. */
async function recordUsage(deps: AnswerDependencies, turn: Turn, conversation: string, usage: Usage) {
  await deps.usage
    .record(usageScopes(turn.key, turn.author.id), usage)
    .catch((error: unknown) => deps.logger.error({ conversation, err: error }, "could not record usage"));
}

/** The tokens of a request and of the text written for it, counted as the provider would (no cost is known). */
async function estimatedUsage(messages: readonly ChatMessage[], written: string): Promise<Usage> {
  // Rare (a stopped or broken answer), and it counts against the asker's limits: counted exactly.
  await loadExactCounting();
  const promptTokens = messages.reduce(
    (sum, message) =>
      sum + countMessageTokens(message.content) + (message.imageUrls?.length ?? 0) * IMAGE_INPUT_TOKENS,
    0,
  );
  return { promptTokens, completionTokens: countMessageTokens(written) };
}

/** Marks the turn's conversation as parley's; a store failure is logged, never thrown (the answer goes on). */
async function openConversation(deps: AnswerDependencies, turn: Turn, model: string): Promise<void> {
  const key = await historyKeyOf(turn);
  await deps.conversations
    .open(key, model, usageScopes(turn.key, turn.author.id).user)
    .catch((error: unknown) =>
      deps.logger.error({ conversation: conversationId(key), err: error }, "could not open the conversation"),
    );
}

/** The conversation the turn's exchange belongs to: `historyKey` once the adapter knows it, else the turn's key. */
async function historyKeyOf(turn: Turn): Promise<ConversationKey> {
  if (!turn.historyKey) return turn.key;
  return turn.historyKey.catch(() => turn.key);
}

/** Appends the exchange while the turn still holds its conversation; false (logged) when it was not saved. */
async function saveExchange(
  deps: AnswerDependencies,
  key: ConversationKey,
  exchange: { user: string; assistant: string; model: string },
): Promise<boolean> {
  const conversation = conversationId(key);
  // Saved elsewhere than the turn's own conversation: that conversation's turns must not interleave with it.
  const elsewhere = deps.lease !== undefined && deps.lease.id !== conversation;
  let lease = deps.lease;
  try {
    if (elsewhere) lease = await deps.leaseFor(key);
    const saved = await deps.conversations.appendExchange(key, exchange, lease);
    if (!saved)
      deps.logger.warn(
        { conversation },
        "did not save the exchange: the turn no longer holds its conversation's lock",
      );
    return saved;
  } catch (error) {
    deps.logger.error({ conversation, err: error }, "could not save the exchange");
    return false;
  } finally {
    if (elsewhere) await lease?.release();
  }
}
