// The rows of a watch-directory JSON file (operator.md §4). Accepted: one object per line (NDJSON), one object
// pretty-printed over several lines, and a JSON array of objects (EdgeLake's operator thread crashes on arrays;
// we take their objects as rows — spec decision 3). A line that is not JSON fails the whole file with the line
// number, so a file is ingested completely or not at all (EdgeLake silently skips such lines for known tables).
// Numbers JSON.parse would change (integers beyond 2^53, 1e400, 1e-400) are read exactly or refused with the row
// and attribute named (json-numbers.ts); only a text that may hold one pays for the exact parser.
import { CommandError, Status } from '../core/status.js';
import { JsonNumberError } from '../core/json-reader.js';
import { hasUnsafeNumber, mayUnderflow, parseJsonExact } from './json-numbers.js';


export type JsonRow = Record<string, unknown>;

function asRows(value: unknown, where: string): JsonRow[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((v, i) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      throw new CommandError(Status.ANALYZE_JSON, `${where}${Array.isArray(value) ? `, element ${i + 1}` : ''} is not a JSON object`);
    }
    return v as JsonRow;
  });
}

/** The reason for a number that would change: `row 3, attribute 'v': 1e400 is beyond ...`. */
function numberReason(err: JsonNumberError, where: (path: readonly (string | number)[]) => [string, readonly (string | number)[]]): CommandError {
  const [place, rest] = where(err.path);
  const attribute = rest.length > 0 ? `, attribute '${rest.map(String).join('.')}'` : '';
  return new CommandError(Status.ANALYZE_JSON, `${place}${attribute}: ${err.message}`);
}

/** Where a path of a document that is a list of rows points: its first element is the row index. */
const inList = (path: readonly (string | number)[]): [string, readonly (string | number)[]] => [`row ${Number(path[0] ?? 0) + 1}`, path.slice(1)];

export function parseJsonRows(text: string): JsonRow[] {
  const trimmed = text.trim();
  if (!trimmed) throw new CommandError(Status.ANALYZE_JSON, 'the file is empty');
  if (mayUnderflow(trimmed)) return readRows(text, trimmed, parseJsonExact);
  const rows = readRows(text, trimmed, JSON.parse);
  return hasUnsafeNumber(rows) ? readRows(text, trimmed, parseJsonExact) : rows;
}

function readRows(text: string, trimmed: string, parse: (text: string) => unknown): JsonRow[] {
  // A single JSON document (a pretty-printed object or an array) first.
  try {
    return asRows(parse(trimmed), 'the content');
  } catch (err) {
    if (err instanceof CommandError) throw err;
    if (err instanceof JsonNumberError) throw numberReason(err, (path) => (typeof path[0] === 'number' ? inList(path) : ['row 1', path]));
  }
  // Fast path for NDJSON: one parse of all lines as an array (one object per line is the common case). A raw
  // newline cannot occur inside a JSON string, so every newline separates two values; one copy of the text.
  try {
    const all: unknown = parse(`[${trimmed.replace(/\n/g, ',')}]`);
    if (Array.isArray(all) && all.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) return all as JsonRow[];
  } catch (err) {
    if (err instanceof JsonNumberError) throw numberReason(err, inList);
    // blank lines, a pretty-printed object among others, or a bad line: the line-by-line pass below sorts it out
  }
  const lines = text.split(/\r?\n/);
  const rows: JsonRow[] = [];
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = parse(line);
    } catch (err) {
      if (err instanceof JsonNumberError) throw numberReason(err, (path) => [`line ${i + 1}`, path]);
      throw new CommandError(Status.ANALYZE_JSON, `line ${i + 1} is not valid JSON (${(err as Error).message}): ${line.slice(0, 80)}`);
    }
    rows.push(...asRows(value, `line ${i + 1}`));
  }
  if (rows.length === 0) throw new CommandError(Status.ANALYZE_JSON, 'the file holds no JSON object');
  return rows;
}
