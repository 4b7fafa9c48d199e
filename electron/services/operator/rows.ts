// JSON rows -> values for a table's columns (operator.md §6). Attributes match columns exactly, then through the
// column-name normalization (schema.ts columnName). Two attributes of one row on one column (`Temp` and `temp`)
// fail the file naming both (EdgeLake keeps one of the values without a word); so does a key with no column name.
// Values are checked against the column type: a value that does not fit fails the file with the row and attribute
// named (EdgeLake lets SQLite take anything and loses data later). Integers beyond 2^53 arrive as BigInt
// (json-numbers.ts) and are stored exactly in integer columns; digit strings for integer columns too.
//
// Timestamps (§6): EdgeLake decides one conversion from the first row and applies it to every row, so a later row
// in another form becomes NULL and fails the insert; it also stores the converted forms inconsistently (`Z` or not,
// `T` or a space), which breaks SQLite's text ordering. We convert each value on its own and store every timestamp
// as UTC `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, EdgeLake's own form for values that already have `T` and `Z`:
//   "2024-05-01T10:00:00Z"       unchanged (as EdgeLake)
//   "2024-05-01 10:00:00"        local time -> UTC (as EdgeLake: "2024-05-01T10:00:00Z" on a UTC machine)
//   "2024-06-04T10:01:00+02:00"  -> "2024-06-04T08:01:00Z" (EdgeLake drops the Z here)
//   "1717495200", 1717495200     epoch seconds -> "2024-06-04T10:00:00Z" (EdgeLake: "2024-06-04 10:00:00.000000")
// A missing value for a timestamp, date or time column gets the file's insert time (the tables the operator creates
// declare them `not null default now()`, the default the database would apply); other missing values are NULL
// (EdgeLake writes '' for text-like columns, and '' into date/time columns).
//
// Speed: a file's rows nearly always share one shape, so a converter is compiled for the first row's attributes
// (fixed property reads, inline type checks, V8 keeps them monomorphic). A row of another shape, or a value the
// inline checks do not accept, goes through the general path, which gives the same result or names the error.
import { CommandError, Status } from '../core/status.js';
import type { ColumnInfo } from '../dbms/adapter.js';
import { jsonText } from './json-numbers.js';
import type { JsonRow } from './json-rows.js';
import { columnName, sameColumn, unmappableKey } from './schema.js';

/** The columns every user table starts with (operator.md §5.2). */
export const SYSTEM_COLUMNS = ['row_id', 'insert_timestamp', 'tsd_name', 'tsd_id'];

type Kind = 'int' | 'float' | 'bool' | 'timestamp' | 'date' | 'time' | 'text';

function kindOf(type: string): Kind {
  const t = type.toLowerCase();
  if (/^(int|integer|bigint|smallint)/.test(t)) return 'int';
  if (/^(decimal|numeric|float|double|real)/.test(t)) return 'float';
  if (t.startsWith('bool')) return 'bool';
  if (t.startsWith('timestamp')) return 'timestamp';
  if (t === 'date' || t.startsWith('date ')) return 'date';
  if (t.startsWith('time')) return 'time';
  return 'text';
}

const BAD = Symbol('does not fit');

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function utcText(d: Date, fraction: string): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${fraction}Z`;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** A timestamp value as stored (UTC, `T`, `Z`), or BAD. */
export function toUtcTimestamp(value: unknown): string | typeof BAD {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return BAD;
    const d = new Date(value * 1000);
    const ms = Math.round(value * 1000) % 1000;
    return Number.isNaN(d.getTime()) ? BAD : utcText(d, ms ? `.${pad(ms, 3)}` : '');
  }
  if (typeof value !== 'string') return BAD;
  const s = value.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return toUtcTimestamp(Number(s));
  const m = DATE_TIME.exec(s);
  if (!m) return BAD;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', fraction = '', zone] = m;
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec)] as const;
  let at: Date;
  if (zone === undefined) {
    at = m[4] === undefined ? new Date(Date.UTC(...parts)) : new Date(...parts); // a date alone is a UTC day
  } else {
    const offset = zone.toUpperCase() === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
    at = new Date(Date.UTC(...parts) - offset * 60_000);
  }
  // Date() rolls 2024-02-31 over to March: a value that does not round-trip is not a date.
  if (Number.isNaN(at.getTime()) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 60) return BAD;
  return utcText(at, fraction);
}

const INT64 = [-(2n ** 63n), 2n ** 63n - 1n] as const;

/** Digits as an integer column takes them: a number when exact, a BigInt beyond 2^53, BAD beyond 64 bits. */
function exactInteger(digits: string): number | bigint | typeof BAD {
  const n = Number(digits);
  if (Number.isSafeInteger(n)) return n;
  const big = BigInt(digits);
  return big < INT64[0] || big > INT64[1] ? BAD : big;
}

/** The value for a column of this kind, or BAD when it does not fit. */
function convert(value: unknown, k: Kind): unknown {
  if (value === null || value === undefined) return null;
  switch (k) {
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'bigint') return value; // beyond 2^53, within 64 bits (json-numbers.ts): bound exactly
      if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return exactInteger(value.trim());
      if (typeof value === 'boolean') return value ? 1 : 0;
      return BAD;
    case 'float':
      if (typeof value === 'number') return value;
      if (typeof value === 'bigint') return Number(value); // a float column holds a double: the user's choice of type
      if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
      return BAD;
    case 'bool':
      if (typeof value === 'boolean') return value ? 1 : 0; // EdgeLake stores 1/0 (PostgreSQL reads '1'/'0' too)
      if (value === 0 || value === 1) return value;
      if (typeof value === 'string' && /^(true|false|0|1)$/i.test(value.trim())) return /^(true|1)$/i.test(value.trim()) ? 1 : 0;
      return BAD;
    case 'timestamp':
      return toUtcTimestamp(value);
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? value.trim() : BAD;
    case 'time':
      return typeof value === 'string' && /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value.trim()) ? value.trim() : BAD;
    default:
      if (typeof value === 'object') return jsonText(value);
      return typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
  }
}

export interface RowPlan {
  /** Columns in insert order: the caller's prefix columns, then the data columns. */
  columns: string[];
  values: unknown[][];
}

interface DataColumn {
  name: string;
  type: string;
  kind: Kind;
  /** The value a missing attribute gets: the file's time for timestamp/date/time columns, else NULL. */
  missing: unknown;
}

/** The inline check under which a value of this kind is stored as it is (anything else takes the general path). */
function inlineCheck(k: Kind, v: string): string {
  switch (k) {
    case 'int':
      return `(typeof ${v} === 'number' && Number.isInteger(${v}))`;
    case 'float':
      return `typeof ${v} === 'number'`;
    case 'timestamp': // already UTC with T and Z: kept as it is (EdgeLake does the same)
      return `(typeof ${v} === 'string' && ${v}.length >= 20 && ${v}.charCodeAt(10) === 84 && ${v}.charCodeAt(${v}.length - 1) === 90 && ${v}.charCodeAt(4) === 45)`;
    case 'text':
      return `typeof ${v} === 'string'`;
    default:
      return 'false';
  }
}

type Compiled = (row: JsonRow, prefix: readonly unknown[]) => unknown[] | undefined;

/**
 * A converter for rows with exactly the attributes of `attributes` (in any order): returns the row's values, or
 * undefined when the row has another shape or a value needs the general path.
 */
function compile(attributes: readonly string[], columnOf: (a: string) => number | undefined, data: readonly DataColumn[], prefixLength: number): Compiled {
  const source = new Array<string | undefined>(data.length);
  for (const a of attributes) {
    const i = columnOf(a);
    // Two attributes on one column, or a key without a column name: the general path names the problem.
    if (i !== undefined && source[i] !== undefined) return () => undefined;
    if (columnName(a) === '') return () => undefined;
    if (i !== undefined) source[i] = a;
  }
  const lines = ['let n = 0;', 'for (const k in row) n++;', `if (n !== ${attributes.length}) return undefined;`];
  for (const a of attributes) lines.push(`if (row[${JSON.stringify(a)}] === undefined && !(${JSON.stringify(a)} in row)) return undefined;`);
  const out: string[] = [];
  for (let p = 0; p < prefixLength; p++) out.push(`prefix[${p}]`);
  data.forEach((c, i) => {
    const a = source[i];
    if (a === undefined) {
      out.push(`missing[${i}]`);
      return;
    }
    const v = `v${i}`;
    lines.push(`const ${v} = row[${JSON.stringify(a)}];`);
    if (c.kind === 'bool') {
      lines.push(`if (typeof ${v} !== 'boolean') return undefined;`);
      out.push(`(${v} ? 1 : 0)`);
    } else {
      lines.push(`if (!${inlineCheck(c.kind, v)}) return undefined;`);
      out.push(v);
    }
  });
  lines.push(`return [${out.join(', ')}];`);
  const missing = data.map((c) => c.missing);
  // Attribute names are embedded only as JSON string literals: a file cannot inject code through them.
  return new Function('missing', `return function (row, prefix) {\n${lines.join('\n')}\n};`)(missing) as Compiled;
}

/**
 * Maps a file's rows onto the table's data columns, each output row starting with `prefix` (the system columns
 * the caller fills). Attributes that are not columns are ignored (as EdgeLake). `plan(rows, from, to)` plans a
 * slice, so a large file is planned and inserted in chunks instead of holding a second copy of all its rows.
 */
export function rowPlanner(
  first: JsonRow | undefined,
  tableColumns: readonly ColumnInfo[],
  fileName: string,
  prefix: { columns: readonly string[]; values: readonly unknown[] } = { columns: [], values: [] },
  now: Date = new Date(),
): { columns: string[]; plan(rows: readonly JsonRow[], from?: number, to?: number): unknown[][] } {
  const nowText = utcText(now, `.${pad(now.getUTCMilliseconds(), 3)}`);
  const data: DataColumn[] = tableColumns
    .filter((c) => !SYSTEM_COLUMNS.includes(c.name))
    .map((c) => {
      const kind = kindOf(c.type);
      const missing = kind === 'date' ? nowText.slice(0, 10) : kind === 'time' ? nowText.slice(11, 19) : kind === 'timestamp' ? nowText : null;
      return { name: c.name, type: c.type, kind, missing };
    });
  const index = new Map(data.map((c, i) => [c.name, i]));
  const attributeColumn = new Map<string, number | undefined>();
  const columnOf = (attribute: string): number | undefined => {
    if (attributeColumn.has(attribute)) return attributeColumn.get(attribute);
    const i = index.get(attribute) ?? index.get(columnName(attribute));
    attributeColumn.set(attribute, i);
    return i;
  };
  const width = prefix.values.length + data.length;
  const general = (row: JsonRow, r: number): unknown[] => {
    const out = new Array<unknown>(width);
    for (let p = 0; p < prefix.values.length; p++) out[p] = prefix.values[p];
    const filled = new Array<string | undefined>(data.length);
    for (const attribute in row) {
      const i = columnOf(attribute);
      if (i === undefined) {
        const unmappable = unmappableKey(attribute, `${fileName}: row ${r + 1}`);
        if (unmappable) throw new CommandError(Status.JSON_TO_INSERT, unmappable);
        continue; // not a column of the table: ignored, as EdgeLake does
      }
      if (filled[i] !== undefined) throw new CommandError(Status.JSON_TO_INSERT, sameColumn(filled[i]!, attribute, data[i]!.name, `${fileName}: row ${r + 1}`));
      const value = convert(row[attribute], data[i]!.kind);
      if (value === BAD) {
        throw new CommandError(Status.JSON_TO_INSERT, `${fileName}: row ${r + 1}, attribute '${attribute}': value ${JSON.stringify(row[attribute])} does not fit column '${data[i]!.name}' of type ${data[i]!.type}`);
      }
      out[prefix.values.length + i] = value;
      filled[i] = attribute;
    }
    for (let i = 0; i < data.length; i++) if (filled[i] === undefined) out[prefix.values.length + i] = data[i]!.missing;
    return out;
  };
  const fast = first ? compile(Object.keys(first), columnOf, data, prefix.values.length) : undefined;
  return {
    columns: [...prefix.columns, ...data.map((c) => c.name)],
    plan(rows, from = 0, to = rows.length) {
      const values = new Array<unknown[]>(to - from);
      for (let r = from; r < to; r++) {
        const row = rows[r]!;
        values[r - from] = fast?.(row, prefix.values) ?? general(row, r);
      }
      return values;
    },
  };
}

/** Plans every row at once (small files, tests). */
export function planRows(
  rows: readonly JsonRow[],
  tableColumns: readonly ColumnInfo[],
  fileName: string,
  prefix: { columns: readonly string[]; values: readonly unknown[] } = { columns: [], values: [] },
  now: Date = new Date(),
): RowPlan {
  const planner = rowPlanner(rows.length > 16 ? rows[0] : undefined, tableColumns, fileName, prefix, now);
  return { columns: planner.columns, values: planner.plan(rows) };
}

/** EdgeLake's insert_timestamp text: UTC with microseconds and Z. */
export function insertTimestamp(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
