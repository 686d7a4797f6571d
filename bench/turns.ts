// One measured turn: its question, the answer the fake provider streams for it, and its timestamps on one clock.

/** Characters per streamed chunk: one chunk is one token for the bench's token rate. */
export const CHARACTERS_PER_TOKEN = 4;

/** Plain lowercase words: no Markdown, nothing a platform escapes, nothing that looks like a marker. */
const FILLER =
  "the answer streams in small pieces so the bench can time the first token and the last one without guessing ";

/** A turn the bench sent, and what happened to it; every time is `performance.now()` in the bench process. */
export interface Turn {
  number: number;
  /** The question text: carries the turn number so the provider fake knows which turn it answers. */
  prompt: string;
  /** The first streamed chunk, unique to the turn: any platform call carrying it carries answer text. */
  marker: string;
  /** The whole answer the provider streams. */
  answer: string;
  /** What the platform must end up showing: the whole answer (parley), or the first chunk (the relay). */
  expected: string;
  eventAtMs?: number;
  providerRequestAtMs?: number;
  firstTokenAtMs?: number;
  firstAnswerCallAtMs?: number;
  /** When a platform call carried the expected text. */
  deliveredAtMs?: number;
  streamEndAtMs?: number;
  /** The fake platform's final state shows the expected text (checked after the level). */
  answered: boolean;
}

/** Hands out turns with distinct markers and finds them again by prompt or by marker. */
export class TurnBook {
  private nextNumber = 1;
  private readonly byNumber = new Map<number, Turn>();
  private readonly byMarker = new Map<string, Turn>();

  private readonly answerTokens: number;
  private readonly expectWholeAnswer: boolean;

  /** `expectWholeAnswer`: the platform must show the whole answer (parley), not just the first chunk (the relay). */
  constructor(answerTokens: number, expectWholeAnswer: boolean) {
    this.answerTokens = answerTokens;
    this.expectWholeAnswer = expectWholeAnswer;
  }

  /** A new turn; the marker is "Q" and three base-36 digits, exactly one chunk long. */
  create(): Turn {
    const number = this.nextNumber++;
    const marker = `Q${number.toString(36).toUpperCase().padStart(3, "0")}`;
    const length = Math.max(2, this.answerTokens) * CHARACTERS_PER_TOKEN;
    let answer = `${marker} `;
    while (answer.length < length) answer += FILLER;
    answer = answer.slice(0, length).trimEnd();
    const turn: Turn = {
      number,
      prompt: `bench question ${number}`,
      marker,
      answer,
      expected: this.expectWholeAnswer ? answer : marker,
      answered: false,
    };
    this.byNumber.set(number, turn);
    this.byMarker.set(marker, turn);
    return turn;
  }

  /** The turn a provider request asks about, from the question in its text. */
  forPrompt(text: string): Turn | undefined {
    const found = /bench question (\d+)/.exec(text);
    return found?.[1] === undefined ? undefined : this.byNumber.get(Number(found[1]));
  }

  /** The turns whose markers appear in a platform call's body. */
  inBody(body: string): Turn[] {
    const turns: Turn[] = [];
    for (const found of body.matchAll(/Q[0-9A-Z]{3}/g)) {
      const turn = this.byMarker.get(found[0]);
      if (turn !== undefined && !turns.includes(turn)) turns.push(turn);
    }
    return turns;
  }

  /** Records a platform call that carried `body`, answered with `status`, at `atMs`. */
  notePlatformCall(body: string, status: number, atMs: number): void {
    if (status >= 400) return;
    for (const turn of this.inBody(body)) {
      turn.firstAnswerCallAtMs ??= atMs;
      if (turn.deliveredAtMs === undefined && body.includes(turn.expected)) turn.deliveredAtMs = atMs;
    }
  }
}

/** True once the platform got the expected text and the provider finished streaming. */
export function isComplete(turn: Turn): boolean {
  return turn.deliveredAtMs !== undefined && turn.streamEndAtMs !== undefined;
}
