// Answers a model turn: history in, trimmed to the window, streamed from the provider, saved when complete.
import type OpenAI from "openai";
import type { Config } from "../config.ts";
import type { ConversationStore } from "../context/conversation-store.ts";
import { trimToWindow } from "../context/trim.ts";
import { buildChatRequest } from "../llm/build-request.ts";
import { runCompletion } from "../llm/complete.ts";
import type { Logger } from "../logger.ts";
import type { ModelCatalog } from "../models/catalog.ts";
import { type ConversationKey, conversationId, type ReplyEvent, type Turn } from "../types.ts";
import type { UsageLedger } from "../usage/usage-ledger.ts";
import { prepareAttachments } from "./attachments.ts";
import { checkPrompt, routeTurn } from "./routing.ts";

/** What answering needs. */
export interface AnswerDependencies {
  config: Config;
  catalog: ModelCatalog;
  client: OpenAI;
  conversations: ConversationStore;
  usage: UsageLedger;
  logger: Logger;
  channelModel(key: ConversationKey): Promise<string | undefined>;
  idleTimeoutMs: number;
}

/** Streams the answer to an ask, search, reason, mention or follow-up. Throws ParleyError on failure. */
export async function* answerTurn(turn: Turn, deps: AnswerDependencies): AsyncGenerator<ReplyEvent> {
  const startedAtMs = Date.now();
  const conversationName = conversationId(turn.key);
  const prompt = checkPrompt(turn);
  const [conversation, channelModel] = await Promise.all([
    deps.conversations.load(turn.key),
    deps.channelModel(turn.key),
  ]);
  const route = routeTurn({
    turn,
    config: deps.config,
    catalog: deps.catalog,
    channelModel,
    conversationModel: conversation?.model,
  });
  if (route.status) yield { type: "status", text: route.status };

  const modelInfo = deps.catalog.info(route.model);
  const [files] = await Promise.all([
    prepareAttachments(turn.attachments ?? [], turn.readAttachment, modelInfo.supportsVision),
    conversation
      ? undefined
      : deps.conversations
          .open(turn.key, route.model)
          .catch((error: unknown) =>
            deps.logger.error(
              { conversation: conversationName, err: error },
              "could not open the conversation",
            ),
          ),
  ]);
  const speaker = turn.author.displayName.trim() || "Someone";
  const userContent = [`${speaker}: ${prompt}`, ...files.textBlocks].join("\n\n");
  const { messages, droppedMessages } = trimToWindow({
    systemPrompt: deps.config.systemPrompt,
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

  for await (const event of runCompletion(deps.client, request, {
    secrets: [deps.config.aimlApiKey],
    idleTimeoutMs: deps.idleTimeoutMs,
  })) {
    if (event.type === "text") {
      yield event;
      continue;
    }
    const storedUser = files.imageUrls.length
      ? `${userContent}\n\n[${files.imageUrls.length} image(s) attached]`
      : userContent;
    // Keep the sources with the answer, so a follow-up can ask about "the second link".
    const storedAnswer = event.citations.length
      ? `${event.text}\n\nSources:\n${event.citations.map((source, index) => `${index + 1}. ${source.url}`).join("\n")}`
      : event.text;
    // The answer is complete: a store failure must not take it from the user, only be logged.
    await deps.conversations
      .appendExchange(turn.key, { user: storedUser, assistant: storedAnswer, model: route.model })
      .catch((error: unknown) =>
        deps.logger.error({ conversation: conversationName, err: error }, "could not save the exchange"),
      );
    if (event.usage) {
      await deps.usage
        .record(
          {
            user: `${turn.key.platform}:${turn.key.workspace}:${turn.author.id}`,
            channel: `${turn.key.platform}:${turn.key.workspace}:${turn.key.channel}`,
            workspace: `${turn.key.platform}:${turn.key.workspace}`,
          },
          event.usage,
        )
        .catch((error: unknown) =>
          deps.logger.error({ conversation: conversationName, err: error }, "could not record usage"),
        );
    }
    deps.logger.info(
      {
        conversation: conversationName,
        command: turn.kind,
        model: route.model,
        answeredBy: event.model,
        ms: Date.now() - startedAtMs,
        promptTokens: event.usage?.promptTokens,
        completionTokens: event.usage?.completionTokens,
        droppedMessages,
      },
      "reply finished",
    );
    yield {
      type: "done",
      result: {
        text: event.text,
        citations: event.citations,
        model: event.model,
        usage: event.usage,
        notes: [...route.notes, ...files.notes],
      },
    };
  }
}
