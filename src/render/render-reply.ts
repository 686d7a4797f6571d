// Turns the engine's reply events into messages on any surface: first text at once, then throttled, split edits.
import { asParleyError, ParleyError } from "../errors.ts";
import type { ReplyEvent, ReplyResult } from "../types.ts";
import type { WritePriority } from "./edit-pacer.ts";
import { drain, type EventSource, openEventSource, type PulledEvent, replayThen } from "./event-source.ts";
import { type Ending, finalControls, NO_CONTROLS } from "./final-controls.ts";
import { composeReplyText, cutOffFooter, errorMessageText } from "./footer.ts";
import { layoutReply, type SettledChunks } from "./layout.ts";
import { createMessageWriter } from "./message-writer.ts";
import { type FormatText, splitMessage } from "./split.ts";
import { emptySettledChunks, layoutStreaming } from "./stream-layout.ts";
import { streamReply } from "./stream-reply.ts";
import {
  type PostedMessage,
  type RenderClock,
  type ReplyControl,
  type ReplySurface,
  systemClock,
} from "./surface.ts";

/** How a rendered reply ended: the messages it left and the text each one shows. */
export interface RenderOutcome {
  messages: PostedMessage[];
  /** The text each message shows at the end, after `format`. */
  chunks: string[];
  outcome: "done" | "error";
  /** The ParleyError code of a failed answer, or "surface_failed" when the platform would not show the reply. */
  errorCode?: string;
  /** The first error the surface threw, for the adapter's logs. */
  surfaceError?: unknown;
}

const STREAMING_CONTROLS: readonly ReplyControl[] = ["stop"];

const SLOT_READY = Symbol("edit slot ready");

/**
 * Renders a reply stream on a surface. The first text is posted at once; later text edits the last message at
 * most once per `surface.editIntervalMs` (the last partial shows even if the stream stalls); text past the limit
 * continues in new messages, fences kept valid. Writes spend the surface's shared budgets (`budgetFor`): a
 * streaming edit holds at most one claim and, once granted, carries all the text streamed by then; the first text
 * and the writes that finish the answer go before other replies' streaming edits. At the end, the messages hold exactly the layout of the final
 * text and its footer (see `layoutReply`). Never throws: a failing surface or stream ends in an "error" outcome.
 * A surface with a native `stream` gets the reply appended piece by piece instead (see `streamReply`).
 */
export async function renderReply(
  events: AsyncIterable<ReplyEvent>,
  surface: ReplySurface,
  clock: RenderClock = systemClock,
): Promise<RenderOutcome> {
  const source = openEventSource(events);
  if (!surface.stream) return renderEdited(source, surface, clock);
  const streamed = await streamReply(source, surface, surface.stream, clock);
  if (streamed.kind === "rendered") return streamed.outcome;
  // Nothing was shown yet (or the platform cannot stream here): the reply is written with posts and edits.
  return renderEdited(replayThen(streamed.pulled, source), surface, clock);
}

/** Renders a reply with posts and edits of whole texts (see `renderReply`). */
async function renderEdited(
  source: EventSource,
  surface: ReplySurface,
  clock: RenderClock,
): Promise<RenderOutcome> {
  let sideError: unknown;
  const format: FormatText = (markdown) => {
    if (!surface.format) return markdown;
    try {
      return surface.format(markdown);
    } catch (error) {
      // A formatter bug should not lose the answer: show the Markdown as it is.
      sideError ??= error;
      return markdown;
    }
  };
  const maxLength = surface.maxMessageLength;
  const writer = createMessageWriter(surface, clock, format);
  let text = "";
  /** The model answering, once the stream named one: a cut-off answer still says which model wrote it. */
  let answeringModel: string | undefined;
  let settled: SettledChunks = emptySettledChunks;
  let dirty = false;
  let editsStopped = false;
  let postFailed = false;

  const outcome = (kind: RenderOutcome["outcome"], errorCode?: string): RenderOutcome => {
    const surfaceError = writer.firstError() ?? sideError;
    return {
      messages: writer.messages(),
      chunks: writer.shownTexts(),
      outcome: kind,
      ...(errorCode === undefined ? {} : { errorCode }),
      ...(surfaceError === undefined ? {} : { surfaceError }),
    };
  };

  /** The text each message should show now: the chunks fixed so far, then the live tail. */
  function streamingTargets(): string[] {
    const layout = layoutStreaming(text, settled, maxLength, format);
    settled = layout.settled;
    return layout.live === "" ? [...settled.chunks] : [...settled.chunks, layout.live];
  }

  /** Brings the messages up to the text streamed so far: newly fixed chunks, then the live tail. */
  async function flush(priority: WritePriority): Promise<void> {
    dirty = false;
    // An append-only surface (a terminal) has no length limit to split at, and cannot take back a closing fence.
    const targets = surface.appendOnly ? [text] : streamingTargets();
    try {
      for (let index = Math.max(0, writer.count() - 1); index < targets.length; index++) {
        // Only the message still growing carries Stop.
        const controls = index === targets.length - 1 ? STREAMING_CONTROLS : NO_CONTROLS;
        const result = await writer.show(index, targets[index] ?? "", priority, controls);
        if (result === "post_failed") postFailed = true;
        // After a refused edit, stop streaming: the final layout still gets its try.
        if (result === "edit_failed") editsStopped = true;
        if (result !== "ok") return;
      }
    } finally {
      writer.releaseHeld();
    }
  }

  async function receive(pulled: PulledEvent): Promise<Ending | undefined> {
    if (pulled.kind === "failed") {
      return { kind: "error", error: asParleyError(pulled.error), partialText: text };
    }
    if (pulled.kind === "end") {
      const error = new ParleyError("stream_interrupted", "The answer stopped before it was finished.");
      return { kind: "error", error, partialText: text };
    }
    const event = pulled.event;
    switch (event.type) {
      case "status":
        if (writer.count() === 0 && surface.showStatus) {
          const showStatus = surface.showStatus.bind(surface);
          try {
            // A passing status is skipped rather than made to wait for a budget the answer needs.
            await writer.runIfFree("status", () => showStatus(format(event.text)));
          } catch (error) {
            // A passing status is not worth failing the reply over.
            sideError ??= error;
          }
        }
        return undefined;
      case "model":
        answeringModel = event.model;
        return undefined;
      case "text":
        text += event.delta;
        // Users must see the first tokens at once; only the edits after that are throttled.
        if (writer.count() === 0) await flush("first");
        else dirty = true;
        return undefined;
      case "done":
        return { kind: "done", result: event.result };
      case "error":
        return { kind: "error", error: asParleyError(event.error), partialText: event.partialText };
      default:
        return undefined;
    }
  }

  /** Only chunks fixed from a prefix of the final text may be kept as they are. */
  const settledFor = (body: string): SettledChunks | undefined =>
    settled.chunks.length > 0 && body.startsWith(text.slice(0, settled.cursor.offset)) ? settled : undefined;

  async function finishAnswer(result: ReplyResult): Promise<RenderOutcome> {
    const { body, footer } = composeReplyText(result);
    const chunks = layoutReply(body, footer, maxLength, format, settledFor(body));
    const controls = finalControls({ kind: "done", result });
    return (await writer.showFinal(chunks, controls)) ? outcome("done") : outcome("error", "surface_failed");
  }

  async function finishError(error: ParleyError, partialText: string): Promise<RenderOutcome> {
    const partial = (partialText.trim() !== "" ? partialText : text).trimEnd();
    if (partial.trim() !== "") {
      const chunks = layoutReply(
        partial,
        cutOffFooter(error.userMessage, answeringModel),
        maxLength,
        format,
        settledFor(partial),
      );
      const shown = await writer.showFinal(chunks, finalControls({ kind: "error", error, partialText }));
      return outcome("error", shown ? error.code : "surface_failed");
    }
    if (surface.postError) {
      const postError = surface.postError.bind(surface);
      try {
        await writer.runPaced("error", "finish", () => postError(format(error.userMessage)));
        return outcome("error", error.code);
      } catch (postErrorFailure) {
        // Fall back to a plain message, so the user learns what happened somewhere.
        sideError ??= postErrorFailure;
      }
    }
    const chunks = splitMessage(errorMessageText(error.userMessage), maxLength, format);
    const shown = await writer.showFinal(chunks, finalControls({ kind: "error", error, partialText }));
    return outcome("error", shown ? error.code : "surface_failed");
  }

  let pending: Promise<PulledEvent> | undefined;
  let editSlot: Promise<typeof SLOT_READY> | undefined;
  let ending: Ending | undefined;
  let streamOpen = true;
  while (ending === undefined && !postFailed) {
    if (dirty && !editsStopped) {
      // One claim at a time, so no backlog of stale edits builds up: the edit made when the slot comes carries
      // all the text streamed by then, and shows the last partial even if no further event arrives.
      editSlot ??= writer.reserveEdit().then(
        () => SLOT_READY,
        () => SLOT_READY,
      );
      pending ??= source.next();
      if ((await Promise.race([pending, editSlot])) === SLOT_READY) {
        editSlot = undefined;
        await flush("stream");
        continue;
      }
    }
    pending ??= source.next();
    const pulled = await pending;
    pending = undefined;
    if (pulled.kind !== "event") streamOpen = false;
    ending = await receive(pulled);
  }
  // A streaming edit still waiting gives way to the final writes; one already granted is spent by them.
  writer.withdrawWaitingReservation();

  if (postFailed || ending === undefined) {
    writer.releaseHeld();
    source.stop();
    return outcome("error", "surface_failed");
  }
  const rendered =
    ending.kind === "done"
      ? await finishAnswer(ending.result)
      : await finishError(ending.error, ending.partialText);
  // The producer resumes only once the last message is shown: the engine holds the conversation until then, so
  // the next turn of the conversation never overtakes this answer on the platform.
  if (streamOpen) void drain(source);
  return rendered;
}
