// parley's Markdown for a terminal (bold, code blocks, lists, links) with marked-terminal, block by finished block.
import { Marked, type MarkedExtension, type Tokens } from "marked";
import { markedTerminal } from "marked-terminal";

/** Paragraphs are wrapped at the terminal's width, but no wider than this: long lines are hard to read. */
const MAX_TEXT_COLUMNS = 100;

/** Renders Markdown for a terminal of a given width. */
export interface TerminalMarkdown {
  /** The Markdown as terminal text (ANSI styles), without blank lines before or after. */
  render(markdown: string): string;
  /**
   * How much of `markdown` is made of finished blocks: every block but the last, which more text may still extend
   * (a paragraph, a list, an open code fence). 0 when the blocks cannot be told apart exactly.
   */
  finishedLength(markdown: string): number;
}

/** Control characters (but tab and newline) a model's text must not send to the terminal. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed here.
const CONTROL_CHARACTERS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** The text with line ends as "\n" and no control characters: a model's answer cannot move the cursor or recolour. */
export function terminalSafe(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(CONTROL_CHARACTERS, "");
}

/** A renderer for `columns` columns. */
export function createTerminalMarkdown(columns: number): TerminalMarkdown {
  const marked = new Marked(
    // marked-terminal's types describe an older marked; the extension it returns is what marked.use takes.
    markedTerminal({ reflowText: true, width: Math.max(20, Math.min(columns - 1, MAX_TEXT_COLUMNS)) }) as
      | MarkedExtension
      | never,
    {
      // Chat platforms keep a single line break as one; so does the terminal (the /help list, the Sources).
      breaks: true,
      renderer: {
        // marked-terminal prints a list item's text as typed; render its inline Markdown (bold, links) instead.
        text(token: Tokens.Text | Tokens.Escape) {
          return "tokens" in token && token.tokens ? this.parser.parseInline(token.tokens) : false;
        },
      },
    },
  );
  return {
    render(markdown) {
      const rendered = marked.parse(markdown, { async: false });
      return rendered.replace(/^\n+/, "").trimEnd();
    },
    finishedLength(markdown) {
      const tokens = marked.lexer(markdown);
      let last = tokens.length - 1;
      while (last >= 0 && tokens[last]?.type === "space") last--;
      if (last <= 0) return 0;
      const finished = tokens
        .slice(0, last)
        .map((token) => token.raw)
        .join("");
      // Link definitions leave no token behind: then the raw texts do not add up, and nothing is taken as finished.
      return markdown.startsWith(finished) ? finished.length : 0;
    },
  };
}
