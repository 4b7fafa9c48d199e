// EdgeLake's text tables (generic/utils_print.py output_nested_lists, observed in every `get ...` transcript):
//   \r\n<prefix><header>                          (optional)
//   \r\n<prefix><title padded to width+1> ...     (one or two title lines; '\n' in a column name splits it)
//   \r\n<prefix>----...|----...|                  (dashes to the column width, '|' after each column)
//   \r\n<prefix>value   |   123|                   ('|' after each cell)
//   \r\n
// Width = widest of title and values, values capped at 100 characters; longer strings wrap onto extra lines of 100.
// Numbers and number-looking strings shorter than 20 characters are right-aligned, everything else left-aligned
// (booleans left). Cell text has \r removed and \n, \t replaced by spaces.

export type Cell = string | number | boolean | null | undefined;

export interface TableOptions {
  /** A line printed before the titles (e.g. `Statistics for REST calls using http://...`). */
  header?: string;
  /** Prefix of every line (get processes uses 4 spaces). */
  linePrefix?: string;
  /** Capitalize the first letter of each title (bring.table). */
  capitalTitle?: boolean;
}

const MAX_CELL = 100;

/** EdgeLake's test for a string that prints as a number: digits, '.', ',' and one leading '-'. */
export function looksLikeNumber(text: string): boolean {
  let withNumber = false;
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') withNumber = true;
    else if (ch === '-') {
      if (withNumber) return false;
      withNumber = true;
    } else if (ch !== '.' && ch !== ',') return false;
  }
  return true;
}

/** Python's str() of a cell value. */
export function cellText(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumber(value);
  return value;
}

/** Python's str() for numbers: integers plain, floats with at least one decimal (1.0, 0.32). */
export function pyNumber(n: number): string {
  if (Number.isInteger(n) && !Object.is(n, -0)) return String(n);
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  return String(n);
}

function rightAligned(value: Cell): boolean {
  if (typeof value === 'number') return true;
  return typeof value === 'string' && value.length < 20 && looksLikeNumber(value);
}

export function formatTable(columns: readonly string[], rows: readonly (readonly Cell[])[], options: TableOptions = {}): string {
  const prefix = options.linePrefix ?? '';
  const titles1: string[] = [];
  const titles2: string[] = [];
  let twoLines = false;
  const widths: number[] = [];
  for (const name of columns) {
    const nl = name.indexOf('\n');
    if (nl === -1) {
      titles1.push(name);
      titles2.push('');
      widths.push(name.length);
    } else {
      twoLines = true;
      titles1.push(name.slice(0, nl));
      titles2.push(name.slice(nl + 1));
      widths.push(Math.max(nl, name.length - nl));
    }
  }
  for (const row of rows) {
    row.forEach((value, i) => {
      const len = Math.min(cellText(value).length, MAX_CELL);
      if (i >= widths.length) widths.push(len);
      else if (len > widths[i]!) widths[i] = len;
    });
  }

  let out = options.header ? `\r\n${prefix}${options.header}` : '';
  if (columns.length > 0) {
    const cap = (t: string) => (options.capitalTitle && t.length ? t[0]!.toUpperCase() + t.slice(1) : t);
    for (const line of twoLines ? [titles1, titles2] : [titles1]) {
      out += `\r\n${prefix}` + line.map((t, i) => cap(t).padEnd(widths[i]! + 1)).join('');
    }
    out += `\r\n${prefix}` + widths.map((w) => '-'.repeat(Math.max(w, 1)) + '|').join('');
  }
  for (const row of rows) {
    if (row.length === 0) continue;
    let line = `\r\n${prefix}`;
    let continuation = line; // leading cells of a wrapped line: blanks up to the wrapped column
    row.forEach((value, i) => {
      const width = widths[i] ?? 0;
      if (value === null || value === undefined) {
        line += ' '.padEnd(width) + '|';
      } else if (typeof value === 'boolean') {
        line += cellText(value).padEnd(width) + '|';
      } else if (rightAligned(value)) {
        line += cellText(value).padStart(width) + '|';
      } else {
        const text = cellText(value).replace(/\r/g, '').replace(/[\n\t]/g, ' ');
        if (text.length <= MAX_CELL) line += text.padEnd(width) + '|';
        else {
          for (let offset = 0; offset < text.length; offset += MAX_CELL) {
            if (offset) line += continuation;
            line += text.slice(offset, offset + MAX_CELL).padEnd(MAX_CELL) + '|';
          }
        }
      }
      continuation += ' '.padEnd(width) + '|';
    });
    out += line;
  }
  return out + '\r\n';
}
