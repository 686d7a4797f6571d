// The raw text of the block being written, at the bottom of the screen, printed so that it can be erased exactly.

/** Columns a tab is shown as in the live text. */
const TAB_COLUMNS = 4;

/** Shown at the end of a live block too tall for the screen. */
const MORE = " …";

/** How many columns and rows the terminal has. */
export type ScreenSize = () => { columns: number; rows: number };

/**
 * Text that grows at the bottom of the screen and is later erased. It breaks its own lines before the terminal
 * would, counting every character beyond ASCII as two columns (none is wider), so the terminal never wraps one and
 * the rows to erase are exactly the line breaks printed. It stops growing one row short of the screen's height:
 * rows scrolled out of sight could not be erased.
 */
export class LiveTail {
  private readonly output: NodeJS.WritableStream;
  private readonly size: ScreenSize;
  /** The text shown, as given (before line breaking). */
  private shown = "";
  private lineBreaks = 0;
  private column = 0;
  private full = false;

  constructor(output: NodeJS.WritableStream, size: ScreenSize) {
    this.output = output;
    this.size = size;
  }

  /** Shows `text` (which starts at the beginning of a line): appends when it extends what is shown, else redraws. */
  show(text: string, style: (text: string) => string = (plain) => plain): void {
    if (!text.startsWith(this.shown)) this.erase();
    const added = text.slice(this.shown.length);
    this.shown = text;
    if (this.full || added === "") return;
    const { columns, rows } = this.size();
    const maxColumns = Math.max(10, columns - 1);
    const maxLineBreaks = Math.max(1, rows - 2);
    let printed = "";
    const breakLine = (): boolean => {
      if (this.lineBreaks >= maxLineBreaks) {
        // The rest of this block shows once it is finished; say that more is coming.
        this.full = true;
        if (this.column + MORE.length <= maxColumns) printed += `\x1b[2m${MORE}\x1b[22m`;
        return false;
      }
      printed += "\n";
      this.lineBreaks++;
      this.column = 0;
      return true;
    };
    for (const character of added) {
      if (character === "\n") {
        if (!breakLine()) break;
        continue;
      }
      const width = character === "\t" ? TAB_COLUMNS : character < "\x7f" ? 1 : 2;
      if (this.column + width > maxColumns && !breakLine()) break;
      printed += character === "\t" ? " ".repeat(TAB_COLUMNS) : character;
      this.column += width;
    }
    if (printed !== "") this.output.write(style(printed));
  }

  /** Removes what is shown; the cursor is left where it began. */
  erase(): void {
    if (this.shown !== "") {
      const up = this.lineBreaks > 0 ? `\x1b[${this.lineBreaks}A` : "";
      this.output.write(`\r${up}\x1b[J`);
    }
    this.shown = "";
    this.lineBreaks = 0;
    this.column = 0;
    this.full = false;
  }
}
