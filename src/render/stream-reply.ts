// Writes a reply on a platform's native append-only stream: each character once, the footer last, tasks beside.
import { asParleyError, ParleyError } from "../errors.ts";
import type { ReplyResult } from "../types.ts";
import { drain, type EventSource, type PulledEvent } from "./event-source.ts";
import { fenceAt } from "./fences.ts";
import { type Ending, finalControls, NO_CONTROLS } from "./final-controls.ts";
import { composeReplyText, cutOffFooter, errorMessageText } from "./footer.ts";
import { layoutReply } from "./layout.ts";
import { createMessageWriter } from "./message-writer.ts";
import type { RenderOutcome } from "./render-reply.ts";
import { createReplyTasks } from "./reply-tasks.ts";
import { cutPoint, pieceEnd } from "./stream-cuts.ts";
import {
  type MessageStream,
  type PostedMessage,
  type RenderClock,
  type ReplyControl,
  type ReplySurface,
  type ReplyTask,
  StreamStoppedError,
} from "./surface.ts";

/** A streamed reply, or the events read so far when the reply should be written with posts and edits instead. */
export type StreamedReply =
  | { kind: "rendered"; outcome: RenderOutcome }
  | { kind: "handed_over"; pulled: PulledEvent[] };

/** Thrown when the first message could not be started: the reply goes to posts and edits instead. */
class HandOver extends Error {
  constructor(cause: unknown) {
    super("native streaming did not start", { cause });
  }
}

/** Room kept in a message for the line that closes a code fence cut at the message's end. */
const FENCE_CLOSE_ROOM = 12;

/**
 * Streams a reply: the first text (or a task: "Searching the web…") starts a message at once, later text is appended
 * at most once per `stream.appendIntervalMs`, only the part not sent before. Text past `maxMessageLength` continues
 * in a new streamed message (code fences closed and reopened), the footer (Sources, notes, model line) comes last in
 * one piece that is never cut, and the final controls go with the stop. When nothing has been shown when the reply
 * ends, or the platform says it cannot stream here, the events read so far are handed back for posts and edits. If
 * an append fails, the rest of the answer is posted as new messages, so nothing is lost. Never throws.
 */
export async function streamReply(
  source: EventSource,
  surface: ReplySurface,
  stream: MessageStream,
  clock: RenderClock,
): Promise<StreamedReply> {
  const inert = (markdown: string): string => (stream.inert ? stream.inert(markdown) : markdown);
  const pulled: PulledEvent[] = [];
  const messages: PostedMessage[] = [];
  const shown: string[] = [];
  const tasks = createReplyTasks();
  let text = "";
  let sentOffset = 0;
  let answeringModel: string | undefined;
  let current: { posted: PostedMessage } | undefined;
  let lastWriteAtMs = Number.NEGATIVE_INFINITY;
  let firstError: unknown;
  /** Set once an append failed: the rest of the answer is posted as new messages at the end. */
  let broken = false;
  /** Set when the person stopped the stream on the platform: nothing more is written. */
  let stoppedByPerson = false;

  const failed = (error: unknown): void => {
    firstError ??= error;
    if (error instanceof StreamStoppedError) stoppedByPerson = true;
    else broken = true;
  };

  /** Sends one piece that fits the current message (starting one when there is none). */
  async function send(markdown: string, pieceTasks: readonly ReplyTask[]): Promise<boolean> {
    if (broken || stoppedByPerson) return false;
    try {
      if (!current) {
        const posted = await stream.start({ markdown, tasks: pieceTasks });
        current = { posted };
        messages.push(posted);
        shown.push("");
      } else {
        await stream.append(current.posted, { markdown, tasks: pieceTasks });
      }
      shown[shown.length - 1] = (shown.at(-1) ?? "") + markdown;
      lastWriteAtMs = clock.now();
      return true;
    } catch (error) {
      // Nothing shown yet: the reply can still be written another way (posts and edits), from its first event.
      if (messages.length === 0) throw new HandOver(error);
      failed(error);
      return false;
    }
  }

  /** Stops the current message with `controls`; a failure is remembered, the text already shown stays. */
  async function stopCurrent(controls: readonly ReplyControl[]): Promise<void> {
    if (!current) return;
    const { posted } = current;
    current = undefined;
    if (stoppedByPerson) return;
    try {
      await stream.stop(posted, controls);
    } catch (error) {
      firstError ??= error;
    }
  }

  /**
   * Writes raw Markdown, each piece made inert on its own, continuing in new messages past the length limit; `whole`
   * text (the footer) moves to a new message rather than being cut, when it fits one. Resolves to how many of its
   * characters reached the platform: all of them unless a write failed, so what follows a failure starts after
   * the last piece shown and never shows one twice.
   */
  async function write(raw: string, whole = false): Promise<number> {
    let rest = raw;
    let delivered = 0;
    /** The fence a continuation message reopens, ahead of its text. */
    let reopen = "";
    let pieceTasks = tasks.takeChanged();
    for (;;) {
      const used = current ? (shown.at(-1) ?? "").length : 0;
      const room = stream.maxMessageLength - used;
      const all = reopen + inert(rest);
      if (all.length <= room) {
        if (all === "" && pieceTasks.length === 0) return raw.length;
        return (await send(all, pieceTasks)) ? raw.length : delivered;
      }
      if (whole && current && all.length <= stream.maxMessageLength) {
        await stopCurrent(NO_CONTROLS);
        // A new message needs no blank line before its first text.
        const trimmed = rest.replace(/^\n+/, "");
        delivered += rest.length - trimmed.length;
        rest = trimmed;
        continue;
      }
      // Cut the raw text where its inert form (a joiner longer per mention) still fits.
      const fits = room - FENCE_CLOSE_ROOM - reopen.length;
      let cut = cutPoint(rest, Math.max(1, fits));
      while (cut > 1 && inert(rest.slice(0, cut)).length > fits) cut -= 1;
      const headRaw = rest.slice(0, cut);
      let head = reopen + inert(headRaw);
      reopen = "";
      // Read from the message's start: a piece may begin mid-line, where no fence can open.
      const before = current ? (shown.at(-1) ?? "") : "";
      const fence = fenceAt(before + head, 0, before.length + head.length, null);
      if (fence) {
        head = `${head.replace(/\n?$/, "\n")}${fence.closeLine}`;
        reopen = `${fence.openLine}\n`;
      }
      if (!(await send(head, pieceTasks))) return delivered;
      delivered += headRaw.length;
      rest = rest.slice(cut);
      pieceTasks = [];
      await stopCurrent(NO_CONTROLS);
    }
  }

  /** Appends the text streamed so far (unless `all`, short of a last word that may still become a mention). */
  async function flush(all: boolean): Promise<void> {
    const end = all ? text.length : pieceEnd(text, sentOffset);
    if (end <= sentOffset && !tasks.changed()) return;
    // Only text that reached the platform counts as sent: after a failure the rest is posted from there.
    sentOffset += await write(text.slice(sentOffset, end));
  }

  const outcome = (kind: RenderOutcome["outcome"], errorCode?: string): RenderOutcome => ({
    messages,
    chunks: shown,
    outcome: kind,
    ...(errorCode === undefined ? {} : { errorCode }),
    ...(firstError === undefined ? {} : { surfaceError: firstError }),
  });

  /** After a failed append: the unsent text and the footer as new messages of the edited kind, controls last. */
  async function postRest(body: string, footer: string, controls: readonly ReplyControl[]): Promise<boolean> {
    const format = (markdown: string) => (surface.format ? surface.format(markdown) : markdown);
    const chunks = layoutReply(body, footer, surface.maxMessageLength, format);
    const writer = createMessageWriter(surface, clock, format);
    if (!(await writer.showFinal(chunks, controls))) {
      firstError ??= writer.firstError();
      return false;
    }
    messages.push(...writer.messages());
    shown.push(...writer.shownTexts());
    return true;
  }

  /** Ends the reply: the rest of the body, then the footer in one piece, then the stop with the controls. */
  async function finish(body: string, footer: string, controls: readonly ReplyControl[]): Promise<boolean> {
    // The body normally continues what was streamed; if it does not, only what was streamed can stay.
    const streamed = text.slice(0, sentOffset);
    const full = body.startsWith(streamed) ? body : text.trimEnd();
    const unsent = full.slice(Math.min(sentOffset, full.length));
    if (!broken && !stoppedByPerson) {
      if (unsent !== "") sentOffset = Math.min(sentOffset, full.length) + (await write(unsent));
      const last = shown.at(-1) ?? "";
      const separator = last === "" ? "" : "\n".repeat(Math.max(0, 2 - (/\n*$/.exec(last)?.[0].length ?? 0)));
      if (footer !== "") await write(`${separator}${footer}`, true);
      else if (tasks.changed()) await write("");
    }
    if (stoppedByPerson) return true;
    if (broken) {
      await stopCurrent(NO_CONTROLS);
      const rest = full.slice(Math.min(sentOffset, full.length)).trim();
      return postRest(rest, footer, controls);
    }
    const hadError = firstError !== undefined;
    await stopCurrent(controls);
    return !hadError && !broken;
  }

  async function finishDone(result: ReplyResult): Promise<RenderOutcome> {
    tasks.completeAll(result.citations);
    const { body, footer } = composeReplyText(result);
    const ok = await finish(body, footer, finalControls({ kind: "done", result }));
    return ok ? outcome("done") : outcome("error", "surface_failed");
  }

  async function finishError(error: ParleyError, partialText: string): Promise<RenderOutcome> {
    tasks.completeAll([]);
    const partial = (partialText.trim() !== "" ? partialText : text).trimEnd();
    const controls = finalControls({ kind: "error", error, partialText });
    const ok =
      partial.trim() !== ""
        ? await finish(partial, cutOffFooter(error.userMessage, answeringModel), controls)
        : await finish("", errorMessageText(error.userMessage), controls);
    return outcome("error", ok ? error.code : "surface_failed");
  }

  function ending(event: PulledEvent): Ending | undefined {
    if (event.kind === "failed")
      return { kind: "error", error: asParleyError(event.error), partialText: text };
    if (event.kind === "end") {
      const error = new ParleyError("stream_interrupted", "The answer stopped before it was finished.");
      return { kind: "error", error, partialText: text };
    }
    if (event.event.type === "done") return { kind: "done", result: event.event.result };
    if (event.event.type === "error") {
      return { kind: "error", error: asParleyError(event.event.error), partialText: event.event.partialText };
    }
    return undefined;
  }

  let pending: Promise<PulledEvent> | undefined;
  let end: Ending | undefined;
  let streamOpen = true;
  try {
    while (end === undefined) {
      pending ??= source.next();
      const dueInMs = lastWriteAtMs + stream.appendIntervalMs - clock.now();
      const wantsWrite =
        current !== undefined &&
        !broken &&
        !stoppedByPerson &&
        (pieceEnd(text, sentOffset) > sentOffset || tasks.changed());
      if (wantsWrite) {
        const timer = clock.sleep(Math.max(0, dueInMs)).then(() => "due" as const);
        if ((await Promise.race([pending, timer])) === "due") {
          await flush(false);
          continue;
        }
      }
      const next = await pending;
      pending = undefined;
      if (messages.length === 0) pulled.push(next);
      if (next.kind !== "event") streamOpen = false;
      end = ending(next);
      if (end !== undefined || next.kind !== "event") break;
      const event = next.event;
      if (event.type === "model") answeringModel = event.model;
      if (event.type === "status") {
        tasks.start(event.text);
        // A task shows at once, like the first text.
        if (messages.length === 0) await write("");
      }
      if (event.type === "text") {
        text += event.delta;
        if (messages.length === 0) await flush(false);
      }
    }
  } catch (error) {
    if (!(error instanceof HandOver)) throw error;
    // Everything read so far goes to the edited renderer, which reads on (the surface logged the refusal).
    if (pending) pulled.push(await pending);
    return { kind: "handed_over", pulled };
  }
  if (messages.length === 0 || end === undefined) return { kind: "handed_over", pulled };
  const rendered =
    end.kind === "done" ? await finishDone(end.result) : await finishError(end.error, end.partialText);
  if (streamOpen) void drain(source);
  return { kind: "rendered", outcome: rendered };
}
