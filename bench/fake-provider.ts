// The fake AI/ML API as the bench runs it: every answer streamed at the bench's first-token delay and token rate.
import { performance } from "node:perf_hooks";
import { type FakeAimlApi, startFakeAimlApi } from "../test/support/fake-aimlapi.ts";
import { lastUserText } from "../test/support/fake-aimlapi-replies.ts";
import { CHARACTERS_PER_TOKEN, type TurnBook } from "./turns.ts";

/** How the fake provider paces its answers. */
export interface ProviderPace {
  firstTokenMs: number;
  tokensPerSecond: number;
}

/**
 * Starts the fake provider. Requests are matched to turns by the question in their last user message; a request
 * for no known turn is echoed (and counted), so an unexpected call stays visible.
 */
export async function startBenchProvider(
  book: TurnBook,
  pace: ProviderPace,
): Promise<{ provider: FakeAimlApi; unmatchedRequests: () => number }> {
  let unmatched = 0;
  const provider = await startFakeAimlApi({
    // The bench measures the bot, not the fake's own validation of each body.
    checkRequestsAgainstSpecs: false,
    acceptAnyModel: true,
    defaultReply: (request) => {
      const turn = book.forPrompt(lastUserText(request.body));
      if (turn === undefined) {
        unmatched++;
        return {};
      }
      turn.providerRequestAtMs ??= performance.now();
      return {
        text: turn.answer,
        chunkSize: CHARACTERS_PER_TOKEN,
        firstChunkDelayMs: pace.firstTokenMs,
        chunkDelayMs: 1000 / pace.tokensPerSecond,
        onFirstContent: () => {
          turn.firstTokenAtMs ??= performance.now();
        },
        onStreamEnd: () => {
          turn.streamEndAtMs ??= performance.now();
        },
      };
    },
  });
  return { provider, unmatchedRequests: () => unmatched };
}
