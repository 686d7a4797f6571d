// Answer texts for the render tests, built from fixed words so every run sees the same text.

const WORDS = [
  "the",
  "gateway",
  "streams",
  "tokens",
  "quickly",
  "while",
  "parley",
  "keeps",
  "every",
  "message",
  "within",
  "limits",
  "and",
  "splits",
  "long",
  "answers",
  "at",
  "paragraph",
  "boundaries",
  "so",
  "readers",
  "never",
  "see",
  "broken",
  "words",
  "or",
  "code",
];

/** Prose of at least `minChars` characters, ending with a full stop; `seed` varies the word order. */
export function prose(minChars: number, seed = 0): string {
  const words: string[] = [];
  let length = 0;
  for (let index = seed; length < minChars; index++) {
    const word = WORDS[(index * 7 + seed) % WORDS.length] ?? "word";
    words.push(word);
    length += word.length + 1;
  }
  return `${words.join(" ")}.`;
}

/** Python source of `lines` lines, some indented, about 60 characters each. */
export function pythonCode(lines: number): string {
  const body: string[] = ["def process(values):"];
  for (let index = 1; index < lines; index++) {
    body.push(`    result_${index} = compute_value(values[${index}], factor=${index * 3})  # step ${index}`);
  }
  return body.join("\n");
}

/** A ~4,500-character answer: two paragraphs, a ```python block of ~2,500 characters, a closing paragraph. */
export const longPythonAnswer = [
  prose(600, 1),
  prose(600, 2),
  `Here is the code:\n\n\`\`\`python\n${pythonCode(39)}\n\`\`\``,
  prose(800, 3),
].join("\n\n");

/** A deterministic pseudo-random generator (mulberry32) returning numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
