// Posts and edits a reply's messages in order: formats them, skips unchanged text, spaces edits, spends budgets.
import type { BudgetTicket, SharedBudget, WritePriority } from "./edit-pacer.ts";
import { NO_CONTROLS } from "./final-controls.ts";
import type { FormatText } from "./split.ts";
import type { PostedMessage, RenderClock, ReplyControl, ReplySurface, SurfaceWrite } from "./surface.ts";

/** What became of one write: shown, or refused by the platform. */
export type WriteResult = "ok" | "edit_failed" | "post_failed";

interface WrittenMessage {
  posted: PostedMessage;
  /** The formatted text the platform holds. */
  shownText: string;
  /** The controls the message carries, joined (compared to skip unchanged writes). */
  shownControls: string;
  /**
   * When the last post or edit of this message finished: spacing edits from there keeps them apart on the
   * platform too, even when a busy process sent the previous one late.
   */
  lastWriteAtMs: number;
}

/** Left in a message the final layout no longer needs (only when the final text differs from what streamed). */
export const SUPERSEDED_MESSAGE_TEXT = "(see above)";

/** A streaming edit's claim on its budget, made ahead of the edit so the edit can carry the newest text. */
interface Reservation {
  cancelled: boolean;
  key?: string;
  ticket?: BudgetTicket;
}

/** The messages of one reply and the only code that writes them. */
export interface MessageWriter {
  /**
   * Shows `markdown` as message `index`: posts it when it is the next new message, else edits if changed. Waits for
   * the write's budget with `priority`, or spends the slot `reserveEdit` holds.
   */
  show(
    index: number,
    markdown: string,
    priority: WritePriority,
    controls?: readonly ReplyControl[],
  ): Promise<WriteResult>;
  /**
   * Resolves once the last message may be edited: its edit interval passed and a slot of its budget is held for
   * the next write. One reservation at a time, so a reply never queues more than one streaming edit.
   */
  reserveEdit(): Promise<void>;
  /** Withdraws a reservation still waiting; a slot already granted stays held for the next write. */
  withdrawWaitingReservation(): void;
  /** Gives back a held slot that no write used. */
  releaseHeld(): void;
  /**
   * Makes message i show chunk i, posting what is missing (messages past the last chunk show
   * SUPERSEDED_MESSAGE_TEXT), the controls on the last chunk; false when the platform refused any of it.
   */
  showFinal(chunks: readonly string[], controls: readonly ReplyControl[]): Promise<boolean>;
  /** Runs a write worth skipping (a passing status) only if its budget has a slot free now; false if skipped. */
  runIfFree(write: SurfaceWrite, run: () => Promise<void>): Promise<boolean>;
  /** Runs a write outside the messages (the error) once its budget grants `priority` a slot. */
  runPaced(write: SurfaceWrite, priority: WritePriority, run: () => Promise<void>): Promise<void>;
  /** How many messages were posted. */
  count(): number;
  /** The posted messages, in order. */
  messages(): PostedMessage[];
  /** The formatted text each message holds, in order. */
  shownTexts(): string[];
  /** The first error the platform threw, for the adapter's logs. */
  firstError(): unknown;
}

/** Creates the writer for one reply; edits of one message are spaced by `surface.editIntervalMs`. */
export function createMessageWriter(
  surface: ReplySurface,
  clock: RenderClock,
  format: FormatText,
): MessageWriter {
  const written: WrittenMessage[] = [];
  let firstError: unknown;
  let reservation: Reservation | undefined;
  const fail = (error: unknown, result: WriteResult): WriteResult => {
    firstError ??= error;
    return result;
  };

  const msUntilEditableAt = (message: WrittenMessage): number =>
    Math.max(0, message.lastWriteAtMs + surface.editIntervalMs - clock.now());

  async function budgetOf(write: SurfaceWrite, message?: PostedMessage): Promise<SharedBudget | undefined> {
    if (!surface.budgetFor) return undefined;
    try {
      return await surface.budgetFor(write, message);
    } catch (error) {
      // The write itself will meet the same trouble and report it; pacing must not hide it.
      firstError ??= error;
      return undefined;
    }
  }

  /** The held slot, if a reservation was granted; the reservation ends either way. */
  function takeHeld(): Reservation | undefined {
    const held = reservation;
    if (held?.ticket?.isGranted()) {
      reservation = undefined;
      return held;
    }
    return undefined;
  }

  function releaseHeld(): void {
    takeHeld()?.ticket?.cancel();
  }

  /**
   * Waits until this write may spend its budget (using a held slot of the same budget when there is one); the
   * ticket returned must be told when the write is `done`.
   */
  async function spend(
    write: SurfaceWrite,
    message: PostedMessage | undefined,
    priority: WritePriority,
  ): Promise<BudgetTicket | undefined> {
    const budget = await budgetOf(write, message);
    const held = takeHeld();
    if (held?.ticket && budget && held.key === budget.key) return held.ticket;
    held?.ticket?.cancel();
    if (!budget) return undefined;
    const ticket = budget.request(priority);
    await ticket.granted;
    return ticket;
  }

  async function show(
    index: number,
    markdown: string,
    priority: WritePriority,
    controls: readonly ReplyControl[] = [],
  ): Promise<WriteResult> {
    const text = format(markdown);
    const controlsKey = controls.join(",");
    // Surfaces that draw no controls are called exactly as before.
    const controlsArgument: [readonly ReplyControl[]] | [] = surface.drawsControls ? [controls] : [];
    const message = written[index];
    if (!message) {
      if (index !== written.length) throw new RangeError(`message ${index} posted before ${written.length}`);
      const ticket = await spend("post", undefined, priority);
      try {
        const posted = await surface.post(text, ...controlsArgument);
        written.push({ posted, shownText: text, shownControls: controlsKey, lastWriteAtMs: clock.now() });
        return "ok";
      } catch (error) {
        return fail(error, "post_failed");
      } finally {
        ticket?.done();
      }
    }
    if (message.shownText === text && (!surface.drawsControls || message.shownControls === controlsKey))
      return "ok";
    const waitMs = msUntilEditableAt(message);
    if (waitMs > 0) await clock.sleep(waitMs);
    const ticket = await spend("edit", message.posted, priority);
    try {
      await surface.edit(message.posted, text, ...controlsArgument);
      message.shownText = text;
      message.shownControls = controlsKey;
      return "ok";
    } catch (error) {
      return fail(error, "edit_failed");
    } finally {
      message.lastWriteAtMs = clock.now();
      ticket?.done();
    }
  }

  async function reserveEdit(): Promise<void> {
    const mine: Reservation = { cancelled: false };
    reservation = mine;
    const last = written.at(-1);
    if (!last) return;
    const waitMs = msUntilEditableAt(last);
    if (waitMs > 0) await clock.sleep(waitMs);
    if (mine.cancelled) return;
    const budget = await budgetOf("edit", last.posted);
    if (mine.cancelled || !budget) return;
    mine.key = budget.key;
    mine.ticket = budget.request("stream");
    await mine.ticket.granted;
  }

  async function showFinal(chunks: readonly string[], controls: readonly ReplyControl[]): Promise<boolean> {
    let allShown = true;
    const count = Math.max(chunks.length, written.length);
    try {
      for (let index = 0; index < count; index++) {
        const text = chunks[index] ?? SUPERSEDED_MESSAGE_TEXT;
        const shown = index === chunks.length - 1 ? controls : NO_CONTROLS;
        const result = await show(index, text, "finish", shown);
        if (result === "post_failed") return false;
        if (result === "edit_failed") allShown = false;
      }
    } finally {
      releaseHeld();
    }
    return allShown;
  }

  return {
    show,
    showFinal,
    reserveEdit,
    withdrawWaitingReservation() {
      if (!reservation || reservation.ticket?.isGranted()) return;
      reservation.cancelled = true;
      reservation.ticket?.cancel();
      reservation = undefined;
    },
    releaseHeld,
    async runIfFree(write, run) {
      releaseHeld();
      const budget = await budgetOf(write);
      const ticket = budget?.tryNow();
      if (budget && !ticket) return false;
      try {
        await run();
      } finally {
        ticket?.done();
      }
      return true;
    },
    async runPaced(write, priority, run) {
      const ticket = await spend(write, undefined, priority);
      try {
        await run();
      } finally {
        ticket?.done();
      }
    },
    count: () => written.length,
    messages: () => written.map((message) => message.posted),
    shownTexts: () => written.map((message) => message.shownText),
    firstError: () => firstError,
  };
}
