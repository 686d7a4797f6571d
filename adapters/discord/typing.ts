// Keeps Discord's typing indicator (which fades after about 10 s) alive until the first text is posted.

/** Discord shows "typing…" for about 10 s per call: renew a little before that. */
export const TYPING_RENEW_INTERVAL_MS = 8000;

/** A running typing indicator. */
export interface TypingIndicator {
  /** Stops renewing; the indicator fades on its own (posting a message also clears it at once). */
  stop(): void;
}

/** Sends the typing indicator now and every `intervalMs` until stopped; failures are reported, never thrown. */
export function startTyping(
  send: () => Promise<unknown>,
  options: { intervalMs?: number; onError: (error: unknown) => void },
): TypingIndicator {
  let stopped = false;
  const renew = (): void => {
    if (!stopped) send().catch(options.onError);
  };
  renew();
  const timer = setInterval(renew, options.intervalMs ?? TYPING_RENEW_INTERVAL_MS);
  timer.unref();
  return {
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
