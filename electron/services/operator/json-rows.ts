// The rows of a watch-directory JSON file (operator.md §4). Accepted: one object per line (NDJSON), one object
// pretty-printed over several lines, and a JSON array of objects (EdgeLake's operator thread crashes on arrays;
// we take their objects as rows — spec decision 3). A line that is not JSON fails the whole file with the line
// number, so a file is ingested completely or not at all (EdgeLake silently skips such lines for known tables).
import { CommandError } from '../core/status.js';

export const ERR_ANALYZE_JSON = 67;

export type JsonRow = Record<string, unknown>;

function asRows(value: unknown, where: string): JsonRow[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((v, i) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      throw new CommandError(ERR_ANALYZE_JSON, `${where}${Array.isArray(value) ? `, element ${i + 1}` : ''} is not a JSON object`);
    }
    return v as JsonRow;
  });
}

export function parseJsonRows(text: string): JsonRow[] {
  const trimmed = text.trim();
  if (!trimmed) throw new CommandError(ERR_ANALYZE_JSON, 'the file is empty');
  // A single JSON document (a pretty-printed object or an array) first.
  try {
    return asRows(JSON.parse(trimmed), 'the content');
  } catch (err) {
    if (err instanceof CommandError) throw err;
  }
  // Fast path for NDJSON: one parse of all lines as an array (one object per line is the common case). A raw
  // newline cannot occur inside a JSON string, so every newline separates two values; one copy of the text.
  try {
    const all: unknown = JSON.parse(`[${trimmed.replace(/\n/g, ',')}]`);
    if (Array.isArray(all) && all.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) return all as JsonRow[];
  } catch {
    // blank lines, a pretty-printed object among others, or a bad line: the line-by-line pass below sorts it out
  }
  const lines = text.split(/\r?\n/);
  const rows: JsonRow[] = [];
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new CommandError(ERR_ANALYZE_JSON, `line ${i + 1} is not valid JSON (${(err as Error).message}): ${line.slice(0, 80)}`);
    }
    rows.push(...asRows(value, `line ${i + 1}`));
  }
  if (rows.length === 0) throw new CommandError(ERR_ANALYZE_JSON, 'the file holds no JSON object');
  return rows;
}
