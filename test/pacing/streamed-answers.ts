// Fifty different answers the fake provider streams in many small pieces, and which question each one answers.
import type { FakeAimlApi, RecordedChatRequest, ReplyScript } from "../support/fake-aimlapi.ts";

/** How many answers stream at once. */
export const ANSWER_COUNT = 50;

const WORDS = [
  "budget",
  "stream",
  "window",
  "thread",
  "answer",
  "channel",
  "update",
  "slot",
  "edit",
  "queue",
];

/** The question that asks for answer `index`. */
export const questionFor = (index: number): string => `question number ${index}`;

/** Answer `index`: plain words (no Markdown), about 360 characters, different for every index. */
export function answerFor(index: number): string {
  const words = Array.from({ length: 48 }, (_, word) => WORDS[(index * 7 + word * 3) % WORDS.length] ?? "");
  return `Answer ${index} begins. ${words.join(" ")}. Answer ${index} ends.`;
}

/** Which answer a chat request asks for, from the question in its last user message. */
function indexAsked(request: RecordedChatRequest): number {
  const last = JSON.stringify(request.body.messages.at(-1) ?? {});
  const found = /question number (\d+)/.exec(last);
  if (!found?.[1]) throw new Error(`no question in ${last}`);
  return Number(found[1]);
}

/**
 * Queues one reply per question, each streamed in 6-character pieces 40 ms apart (about 2.5 s an answer), and
 * matched to its question whatever order the requests arrive in.
 */
export function enqueueStreamedAnswers(provider: FakeAimlApi): void {
  const script: ReplyScript = (request) => ({
    text: answerFor(indexAsked(request)),
    chunkSize: 6,
    chunkDelayMs: 40,
  });
  provider.enqueue(...Array.from({ length: ANSWER_COUNT }, () => script));
}
