// Builds each chat request with exactly the parameters the model's spec accepts.
import type {
  ChatCompletionContentPart,
  ChatCompletionCreateParams,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import type { ReasoningEffort } from "../commands.ts";
import { modelFamily } from "../models/families.ts";

/** A history message as parley keeps it: text, plus image parts on the current turn only. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
  /** Image inputs (https or data: URLs) for vision models. */
  imageUrls?: string[];
}

/** What the engine decided for one request. */
export interface ChatRequestInput {
  model: string;
  messages: ChatMessage[];
  maxOutputTokens: number;
  reasoningEffort?: ReasoningEffort;
  stream: boolean;
}

/** Per-model rules: search-preview and web-search take only model/messages/max_tokens/stream(_options);
 *  o-series take reasoning_effort and max_completion_tokens; an output limit is always sent. */
export function buildChatRequest(input: ChatRequestInput): ChatCompletionCreateParams {
  const family = modelFamily(input.model);
  const allowImages = family === "chat" || family === "reasoning";
  const messages = input.messages.map((message) => toProviderMessage(message, allowImages));
  const streaming = input.stream
    ? { stream: true as const, stream_options: { include_usage: true } }
    : { stream: false as const };
  if (family === "reasoning") {
    return {
      model: input.model,
      messages,
      max_completion_tokens: input.maxOutputTokens,
      reasoning_effort: input.reasoningEffort ?? "medium",
      ...streaming,
    };
  }
  return { model: input.model, messages, max_tokens: input.maxOutputTokens, ...streaming };
}

function toProviderMessage(message: ChatMessage, allowImages: boolean): ChatCompletionMessageParam {
  if (message.role !== "user" || !allowImages || !message.imageUrls?.length) {
    return { role: message.role, content: message.content };
  }
  const parts: ChatCompletionContentPart[] = [
    { type: "text", text: message.content },
    ...message.imageUrls.map(
      (url): ChatCompletionContentPart => ({ type: "image_url", image_url: { url, detail: "auto" } }),
    ),
  ];
  return { role: "user", content: parts };
}
