// EdgeLake's CLI display of a one-line structure (generic/utils_print.py print_row, observed for `info table ...
// partitions`): the text up to and including its first '[' on a new line, then the rest cut after every comma that
// is not inside double quotes, each piece on its own line indented to the '[' column (a piece keeps its leading
// space). Pieces longer than 80 characters are cut every 80, continuation lines indented past the first ':'.
// No line end after the last piece unless it ends with a comma. Text without '[' prints as it is, with a line end.

/** Length of the piece starting at `from`: up to and including the next comma outside quotes, or 0 when none. */
function pieceLength(text: string, from: number): number {
  let quoted = false;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) return i + 1 - from;
  }
  return 0;
}

export function rowDisplay(text: string): string {
  const bracket = text.indexOf('[');
  if (bracket === -1) return `${text}\r\n`;
  const indent = bracket + 1;
  let out = `\r\n${text.slice(0, indent)}`;
  let offset = indent;
  let spaces = false;
  while (offset < text.length) {
    let length = pieceLength(text, offset) || text.length - offset;
    const last = offset + length >= text.length;
    let extra = 0;
    const keyLength = length > 80 ? text.indexOf(':') + 1 : 0;
    while (length > 80) {
      if (spaces) out += ' '.repeat(indent + extra);
      spaces = true;
      out += `${text.slice(offset, offset + 80)}\r\n`;
      length -= 80;
      offset += 80;
      extra = keyLength;
    }
    if (length > 0) {
      if (spaces) out += ' '.repeat(indent + extra);
      const piece = text.slice(offset, offset + length);
      out += !last || piece.endsWith(',') ? `${piece}\r\n` : piece;
    }
    offset += length;
    spaces = true;
  }
  return out;
}
