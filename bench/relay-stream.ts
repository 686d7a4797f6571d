// The bare relay's provider call: one streamed chat completion over fetch, the first text handed over once.

/** Where the relay sends its completion requests. */
export interface RelayProvider {
  /** The provider's base URL, e.g. "http://127.0.0.1:43210/v1". */
  baseUrl: string;
  apiKey: string;
  model: string;
}

/** The provider the bench gave a relay in its environment (AIML_BASE_URL, AIML_API_KEY, RELAY_MODEL). */
export function relayProviderFromEnvironment(environment: NodeJS.ProcessEnv): RelayProvider {
  return {
    baseUrl: environment.AIML_BASE_URL ?? "",
    apiKey: environment.AIML_API_KEY ?? "",
    model: environment.RELAY_MODEL ?? "",
  };
}

/**
 * Streams a completion of `prompt`; calls `onFirstText` with the text of the first content chunk, then reads the
 * rest of the stream to its end without calling it again. Rejects on a non-200 answer or a stream without text.
 */
export async function streamCompletion(
  provider: RelayProvider,
  prompt: string,
  onFirstText: (text: string) => void,
): Promise<void> {
  const response = await fetch(`${provider.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${provider.apiKey}` },
    body: JSON.stringify({
      model: provider.model,
      messages: [{ role: "user", content: prompt }],
      stream: true,
    }),
  });
  if (response.status !== 200 || response.body === null) {
    throw new Error(`provider answered ${response.status}: ${await response.text()}`);
  }
  const decoder = new TextDecoder();
  let buffered = "";
  let sawText = false;
  for await (const bytes of response.body) {
    buffered += decoder.decode(bytes, { stream: true });
    let end = buffered.indexOf("\n\n");
    while (end >= 0) {
      const event = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      end = buffered.indexOf("\n\n");
      if (sawText || !event.startsWith("data: ") || event === "data: [DONE]") continue;
      const chunk = JSON.parse(event.slice("data: ".length)) as {
        choices?: { delta?: { content?: string } }[];
      };
      const text = chunk.choices?.[0]?.delta?.content;
      if (text) {
        sawText = true;
        onFirstText(text);
      }
    }
  }
  if (!sawText) throw new Error("the provider's stream carried no text");
}
