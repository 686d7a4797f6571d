// A small terminal for tests: replays what a program printed and keeps the text a user would see, scrollback included.

/** Characters a terminal shows two columns wide (the CJK blocks tests use). */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

/**
 * Applies `output` (text, CR/LF as a pty delivers them, backspace, cursor moves, erase-line and erase-below sequences; colours and modes
 * are ignored) to a screen `columns` wide whose top never scrolls away, and returns its lines, trailing spaces
 * trimmed. Lines wrap at the last column as a terminal does: the wrap happens when the next character arrives. CJK
 * characters take two columns.
 */
export function screenLines(output: string, columns: number): string[] {
  const lines: string[][] = [[]];
  let row = 0;
  let column = 0;
  let wrapPending = false;
  const line = (index: number): string[] => {
    while (lines.length <= index) lines.push([]);
    return lines[index] as string[];
  };
  const moveTo = (nextRow: number, nextColumn: number): void => {
    row = Math.max(0, nextRow);
    column = Math.max(0, Math.min(columns - 1, nextColumn));
    wrapPending = false;
  };
  let index = 0;
  while (index < output.length) {
    const character = output[index] as string;
    if (character === "\x1b") {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what is read here.
      const csi = /^\x1b\[([?0-9;]*)([@-~])/.exec(output.slice(index));
      if (!csi) {
        index += 2;
        continue;
      }
      index += csi[0].length;
      const parameter = csi[1] ?? "";
      const count = Number.parseInt(parameter || "1", 10) || 1;
      switch (csi[2]) {
        case "A":
          moveTo(row - count, column);
          break;
        case "B":
          moveTo(row + count, column);
          break;
        case "C":
          moveTo(row, column + count);
          break;
        case "D":
          moveTo(row, column - count);
          break;
        case "G":
          moveTo(row, count - 1);
          break;
        case "J":
          line(row).length = Math.min(line(row).length, column);
          lines.length = Math.min(lines.length, row + 1);
          break;
        case "K":
          if (parameter === "" || parameter === "0") line(row).length = Math.min(line(row).length, column);
          else if (parameter === "2") line(row).length = 0;
          break;
        default:
        // Colours, bracketed paste and other modes change no text.
      }
      continue;
    }
    index += 1;
    if (character === "\r") moveTo(row, 0);
    // A pty turns "\n" into CR LF on its way out (ONLCR), and node's raw mode keeps that on.
    else if (character === "\n") moveTo(row + 1, 0);
    else if (character === "\b") moveTo(row, column - 1);
    else if (character >= " ") {
      const width = WIDE.test(character) ? 2 : 1;
      // A wide character that does not fit in the last column goes to the next line whole.
      if (wrapPending || column + width > columns) moveTo(row + 1, 0);
      const cells = line(row);
      while (cells.length < column) cells.push(" ");
      cells[column] = character;
      if (width === 2) cells[column + 1] = "";
      if (column + width >= columns) wrapPending = true;
      else column += width;
    }
  }
  return lines.map((cells) => cells.join("").trimEnd());
}
