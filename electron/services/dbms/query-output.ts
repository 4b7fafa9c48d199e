// Local query output in EdgeLake's formats (rest-api.md §8, transcripts/rest-local-sql.txt):
//   json:  {"Query": [{row}, {row}],\n"Statistics":[{"Count": N,"Time":"HH:MM:SS","Nodes": 0}]}
//   table: \n<titles>\n<dashes>\n<rows>\n + \n + the statistics pretty-printed
// Rows are objects keyed by column name in Python's json.dumps spacing. An empty result is `"Query": []`
// (EdgeLake prints only the statistics then, which is not the shape its clients parse; we keep the shape).
import { pyJsonDumps, pyString } from '../command/format/pyjson.js';
import { cellText, looksLikeNumber } from '../command/format/table.js';
import type { QueryResult } from './adapter.js';

/** `HH:MM:SS` of a duration (negative ones count as 0). */
export function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(Math.floor(s / 3600))}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}`;
}

function jsonValue(v: unknown): unknown {
  // An integer beyond 2^53 (SQLite read with exact integers) prints all its digits (pyJsonDumps writes BigInt).
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace('Z', '');
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  return v;
}

/** Whether a select's projection holds an aggregate function: EdgeLake answers those in its compact form. */
export function isAggregateQuery(sql: string): boolean {
  const projection = /^\s*select\s+([\s\S]*?)\s+from\s/i.exec(sql)?.[1] ?? '';
  return /\b(count|min|max|sum|avg)\s*\(/i.test(projection);
}

/**
 * `compact`: EdgeLake's form for aggregate queries, which it answers through its result-merging path
 * (transcripts/rest-local-sql.txt): `{"Query":[{"count(*)":2}],` — no spaces around `:` and `[`. (That path also
 * prints a 0 as null, a bug not reproduced here.)
 */
export function queryJson(result: QueryResult, ms: number, withStats: boolean, compact = false): string {
  const rows = result.rows.map((row) =>
    compact
      ? `{${result.columns.map((c, i) => `${pyString(c)}:${pyJsonDumps(jsonValue(row[i]))}`).join(',')}}`
      : pyJsonDumps(Object.fromEntries(result.columns.map((c, i) => [c, jsonValue(row[i])]))),
  );
  const query = compact ? `{"Query":[${rows.join(',')}]` : `{"Query": [${rows.join(',')}]`;
  if (!withStats) return `${query}}`;
  return `${query},\n"Statistics":[{"Count": ${rows.length},"Time":"${elapsed(ms)}","Nodes": 0}]}`;
}

export function queryTable(result: QueryResult, ms: number, withStats: boolean): string {
  const cells = result.rows.map((row) => row.map((v) => (typeof v === 'bigint' ? v.toString() : cellText(jsonValue(v) as never))));
  const widths = result.columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const numeric = (v: unknown) => typeof v === 'number' || typeof v === 'bigint' || (typeof v === 'string' && v !== '' && v.length < 20 && looksLikeNumber(v));
  let out = '\n' + result.columns.map((c, i) => (i === result.columns.length - 1 ? c : c.padEnd(widths[i]!))).join(' ') + '\n';
  out += widths.map((w) => '-'.repeat(w) + ' ').join('') + '\n';
  for (const [r, row] of result.rows.entries()) {
    out += row.map((v, i) => (numeric(v) ? cells[r]![i]!.padStart(widths[i]!) : cells[r]![i]!.padEnd(widths[i]!)) + ' ').join('') + '\n';
  }
  if (!withStats) return out;
  const pad = ' '.repeat(16);
  return `${out}\n{"Statistics":[{"Count": ${result.rows.length},\n${pad}"Time":"${elapsed(ms)}",\n${pad}"Nodes": 0}]}`;
}
