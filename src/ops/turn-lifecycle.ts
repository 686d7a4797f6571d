// One lifecycle for every turn on every platform: a request id, replies in flight, one "turn finished" line, drain.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { ReplyControls } from "../controls/reply-controls.ts";
import type { Logger } from "../logger.ts";
import type { RenderOutcome } from "../render/render-reply.ts";
import { conversationId, type Engine, type ReplyEvent, type Turn } from "../types.ts";
import type { ParleyMetrics } from "./metrics.ts";
import { type ObservedStream, observeStream } from "./observed-stream.ts";
import type { TurnSummary } from "./turn-summary.ts";

/** Said (privately where the platform allows) to a command that arrives while parley is shutting down. */
export const SHUTTING_DOWN_MESSAGE = "parley is restarting; ask again in a moment.";

/** What an adapter's rendering of one turn is given. */
export interface TurnContext {
  /** The turn, with its `requestId` set. */
  turn: Turn;
  requestId: string;
  /** The adapter's logger, carrying the request id and the conversation: use it for this turn's logs. */
  logger: Logger;
  /** The engine's reply to the turn, to hand to the renderer. */
  events: AsyncIterable<ReplyEvent>;
}

/** Shows a turn's reply on the platform; resolves with the renderer's outcome. */
export type RenderTurn = (context: TurnContext) => Promise<RenderOutcome>;

/** How a drain went. */
export interface DrainReport {
  /** Replies that finished on their own within the grace time. */
  finished: number;
  /** Replies cut short, their messages marked as interrupted. */
  interrupted: number;
  /** Replies still not settled when the drain gave up on them. */
  abandoned: number;
}

/** Every adapter runs its turns through this. */
export interface TurnLifecycle {
  /** False once a drain began: adapters then take no new events. */
  accepting(): boolean;
  /** Replies being written now. */
  inFlight(): number;
  /**
   * Runs one turn: gives it a request id, calls the engine, lets `render` show the reply, then logs one
   * "turn finished" line and feeds the metrics. Never rejects. A turn run after shutdown began is answered at once,
   * without the engine, with "parley is restarting" (it was claimed already: no other replica would answer it).
   */
  run(turn: Turn, render: RenderTurn, options?: { logger?: Logger }): Promise<TurnSummary | undefined>;
  /** Resolves once the replies in flight now have ended. */
  settled(): Promise<void>;
  /**
   * Stops accepting turns, waits up to `graceMs` for the replies in flight, then interrupts the rest (their
   * messages keep the text so far and a cut-off note) and waits up to `interruptGraceMs` for those notes to be
   * posted. Calling it again returns the first drain.
   */
  drain(graceMs: number, interruptGraceMs?: number): Promise<DrainReport>;
}

/** What the lifecycle is built from. */
export interface TurnLifecycleOptions {
  engine: Engine;
  logger: Logger;
  metrics?: ParleyMetrics;
  /** Milliseconds, for durations (default performance.now). */
  now?: () => number;
  /** New request ids (default random UUIDs). */
  newRequestId?: () => string;
  /** Lets Stop presses reach the turns this process runs (none: turns stop only by their own signal). */
  controls?: ReplyControls;
}

/** How long interrupted replies get to post their cut-off note, when the drain is not told. */
const DEFAULT_INTERRUPT_GRACE_MS = 3_000;

interface Running {
  stream: ObservedStream;
  task: Promise<unknown>;
}

/** Creates the lifecycle shared by every adapter of a process. */
export function createTurnLifecycle(options: TurnLifecycleOptions): TurnLifecycle {
  const { engine, metrics } = options;
  const now = options.now ?? (() => performance.now());
  const newRequestId = options.newRequestId ?? randomUUID;
  const running = new Set<Running>();
  let draining: Promise<DrainReport> | undefined;

  const summarize = (
    context: { turn: Turn; requestId: string; startedMs: number; stream: ObservedStream },
    rendered: RenderOutcome | undefined,
  ): TurnSummary => {
    const { turn, stream } = context;
    const seen = stream.observation;
    const usage = seen.result?.usage;
    const errorCode = seen.interrupted
      ? "interrupted"
      : (rendered?.errorCode ?? seen.errorCode ?? "internal");
    const outcome = rendered?.outcome === "done" && !seen.interrupted ? "done" : "error";
    return {
      requestId: context.requestId,
      platform: turn.key.platform,
      conversation: conversationId(turn.key),
      command: turn.kind,
      ...(seen.result?.model ? { model: seen.result.model } : {}),
      outcome,
      ...(outcome === "error" ? { errorCode } : {}),
      ...(seen.refusedBy === undefined ? {} : { refusedBy: seen.refusedBy }),
      ...(seen.result?.stopped ? { stopped: true } : {}),
      messages: rendered?.messages.length ?? 0,
      ...(seen.firstTextAtMs === undefined
        ? {}
        : { firstTokenMs: Math.round(seen.firstTextAtMs - context.startedMs) }),
      ...(seen.result?.providerFirstTokenMs === undefined
        ? {}
        : { providerFirstTokenMs: seen.result.providerFirstTokenMs }),
      ms: Math.round(now() - context.startedMs),
      ...(usage
        ? {
            promptTokens: usage.promptTokens,
            completionTokens: usage.completionTokens,
            ...(usage.costUsd === undefined ? {} : { costUsd: usage.costUsd }),
          }
        : {}),
    };
  };

  async function runTurn(
    received: Turn,
    render: RenderTurn,
    adapterLogger: Logger,
    register: (entry: Running) => void,
  ): Promise<TurnSummary> {
    const startedMs = now();
    const requestId = newRequestId();
    const watched = options.controls?.watch(received, requestId);
    const turn: Turn = { ...received, requestId, ...(watched ? { signal: watched.signal } : {}) };
    const conversation = conversationId(turn.key);
    const logger = adapterLogger.child({ requestId, conversation });
    const stream = observeStream(engine.reply(turn), now);
    // A turn that reached us after shutdown began was already claimed (no other replica will answer it): it is
    // not refused silently but answered at once, without the engine, with the sentence that says why.
    if (draining !== undefined) stream.interrupt(SHUTTING_DOWN_MESSAGE);
    const entry: Running = { stream, task: Promise.resolve() };
    register(entry);
    metrics?.replyStarted();
    let rendered: RenderOutcome | undefined;
    try {
      rendered = await render({ turn, requestId, logger, events: stream.events });
    } catch (error) {
      logger.error({ err: error }, "turn rendering failed");
    }
    watched?.end(stream.observation.result?.model);
    const summary = summarize({ turn, requestId, startedMs, stream }, rendered);
    metrics?.replyFinished(summary);
    options.logger.info(summary, "turn finished");
    return summary;
  }

  const waitFor = async (tasks: Promise<unknown>[], timeoutMs: number): Promise<void> => {
    if (tasks.length === 0) return;
    const timeout = new AbortController();
    await Promise.race([
      Promise.allSettled(tasks),
      sleep(timeoutMs, undefined, { signal: timeout.signal }).catch(() => undefined),
    ]);
    timeout.abort();
  };

  return {
    accepting: () => draining === undefined,
    inFlight: () => running.size,
    run(turn, render, runOptions) {
      let entry: Running | undefined;
      const task = runTurn(turn, render, runOptions?.logger ?? options.logger, (registered) => {
        entry = registered;
        running.add(registered);
      })
        .catch((error: unknown) => {
          // Only a bug gets here (the engine and the renderer never throw): the turn must not take the adapter down.
          options.logger.error(
            { err: error, conversation: conversationId(turn.key) },
            "turn failed to start",
          );
          return undefined;
        })
        .finally(() => {
          if (entry) running.delete(entry);
        });
      if (entry) entry.task = task;
      return task;
    },
    async settled() {
      await Promise.allSettled([...running].map((entry) => entry.task));
    },
    drain(graceMs, interruptGraceMs = DEFAULT_INTERRUPT_GRACE_MS) {
      draining ??= (async () => {
        const atStart = running.size;
        await waitFor(
          [...running].map((entry) => entry.task),
          graceMs,
        );
        const left = [...running];
        const interrupted = left.filter((entry) => entry.stream.interrupt()).length;
        await waitFor(
          left.map((entry) => entry.task),
          interruptGraceMs,
        );
        const report = { finished: atStart - left.length, interrupted, abandoned: running.size };
        options.logger.info(report, "replies drained");
        return report;
      })();
      return draining;
    },
  };
}
