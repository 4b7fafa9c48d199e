// Table schemas inferred from JSON rows, and the DDL EdgeLake generates for them (operator.md §5). Unlike
// EdgeLake (first row decides), every row is scanned and the types merged; the DDL text is EdgeLake's, so the
// `table` policy it publishes is the same as a real operator's.
import { CommandError, Status } from '../core/status.js';
import { sqlName } from '../dbms/sql-names.js';

/**
 * The column name of a JSON attribute, as EdgeLake makes it (suggest_create_table.get_column_types:
 * `utils_data.reset_str_chars(key.strip())`, then create_table_sql: `"_" + name` when `name.isdigit()`):
 * white space trimmed at both ends; then, character by character through the table `translate_dict_` of
 * generic/utils_data.py, which covers code points 0-255 only: A-Z -> a-z; space - . / \ : and _ -> '_'; a-z 0-9
 * kept; every other code point below 256 -> `0x%02x` (`@` -> 0x40, `°` -> 0xb0, `"` -> 0x22, `É` -> 0xc9: no
 * lower-casing beyond ASCII); code points from 256 up are kept as they are (`温度` stays `温度`). A name of digits
 * only gets a leading '_'. Examples: `@timestamp` -> `0x40timestamp`, `%rh` -> `0x25rh`, `°C` -> `0xb0c`,
 * `#count` -> `0x23count`, `group` -> `group` (quoted in the DDL, see dbms/sql-names.ts).
 * An empty (or all white space) key gives '': EdgeLake silently drops such an attribute; the operator refuses the
 * file instead (`unmappableKey`).
 */
export function columnName(attribute: string): string {
  let out = '';
  for (const ch of pythonStrip(attribute)) {
    const code = ch.codePointAt(0)!;
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code >= 256) out += ch;
    else if (code >= 65 && code <= 90) out += String.fromCharCode(code + 32);
    else if (SEPARATORS.includes(ch)) out += '_';
    else out += `0x${code.toString(16).padStart(2, '0')}`;
  }
  return /^\p{Nd}+$/u.test(out) ? `_${out}` : out;
}

const SEPARATORS = '_ -./\\:';

/** Python's str.strip(): the characters str.isspace() accepts (JS trim() differs: \x1c-\x1f, \x85, \ufeff). */
// eslint-disable-next-line no-control-regex -- Python counts the separators \x1c-\x1f as white space
const PY_SPACE = /^[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;
const pythonStrip = (s: string) => s.replace(PY_SPACE, '');

/** The reason an attribute has no column (an empty key), or undefined when it maps to one. */
export function unmappableKey(attribute: string, where: string): string | undefined {
  return columnName(attribute) === '' ? `${where}: attribute ${JSON.stringify(attribute)} has no column name (an empty key); rename it` : undefined;
}

/** The reason when two attributes of one row map to the same column (a value would be lost): refused. */
export function sameColumn(first: string, second: string, column: string, where: string): string {
  return `${where}: attributes ${JSON.stringify(first)} and ${JSON.stringify(second)} both map to column '${column}'; one value would be lost, rename one of them`;
}

const TIMESTAMP = 'timestamp not null default now()';
const DATE = 'date not null default now()';
const TIME = 'time not null default now()';
const EPOCH_2000 = 946_684_800;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const TIME_ONLY = /^\d{2}:\d{2}:\d{2}(\.\d+)?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/\d{1,2})?$/;

/** The column type of one value, or undefined for values that add no column (objects) or say nothing (null). */
export function typeOfValue(value: unknown, attribute: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'bigint') return 'bigint'; // beyond 2^53 (json-numbers.ts): always above EdgeLake's int bound
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return Math.abs(value) <= 99_999_999 ? 'int' : 'bigint';
    const text = String(value);
    const decimals = /^-?\d+\.(\d+)$/.exec(text)?.[1];
    return decimals && decimals.length <= 5 ? 'decimal' : 'float';
  }
  if (Array.isArray(value)) return 'varchar';
  if (typeof value === 'object') return undefined;
  const s = String(value);
  if (UUID.test(s)) return 'uuid';
  if (DATETIME.test(s)) return TIMESTAMP;
  if (DATE_ONLY.test(s)) return DATE;
  if (TIME_ONLY.test(s)) return TIME;
  if (IPV4.test(s)) return 'cidr';
  if (/^\d+$/.test(s) && attribute.toLowerCase().includes('time') && Number(s) >= EPOCH_2000) return TIMESTAMP;
  if (s.length <= 19 && s.includes('.') && s.trim() !== '' && !Number.isNaN(Number(s))) return 'float';
  if (/^-?\d+$/.test(s)) return s.length < 9 ? 'int' : 'bigint';
  if (s.length >= 1 && s.length <= 8) return `char(${s.length})`;
  return 'varchar';
}

const charSize = (t: string) => Number(/^char\((\d+)\)$/.exec(t)?.[1] ?? NaN);

/** Merges the types seen for one column (operator.md §5.1 "Merging"). */
export function mergeTypes(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined || a === b) return a;
  const [ca, cb] = [charSize(a), charSize(b)];
  if (!Number.isNaN(ca) && !Number.isNaN(cb)) return `char(${Math.max(ca, cb)})`;
  if (!Number.isNaN(ca) || !Number.isNaN(cb)) return a === 'varchar' || b === 'varchar' ? 'varchar' : 'char(32)';
  const pair = new Set([a, b]);
  if (pair.has('float')) return 'float';
  if (pair.has('int') && pair.has('decimal')) return 'decimal';
  if (pair.has('bigint') && (pair.has('int') || pair.has('decimal'))) return 'bigint';
  return 'varchar';
}

export interface Column {
  name: string;
  type: string;
}

/**
 * Columns in first-seen order; a column seen only with null is varchar; object attributes are dropped. Throws a
 * CommandError for an attribute without a column name and for two attributes of one row with the same column.
 */
export function inferColumns(rows: readonly Record<string, unknown>[]): Column[] {
  const types = new Map<string, string | undefined>();
  const seen = new Map<string, boolean>(); // false: only objects so far
  const names = new Map<string, string>();
  const owner = new Map<string, string>(); // column -> the first attribute that maps to it
  let shared = false; // two different attributes map to one column somewhere in the file
  for (const [r, row] of rows.entries()) {
    for (const [attribute, value] of Object.entries(row)) {
      let name = names.get(attribute);
      if (name === undefined) {
        const unmappable = unmappableKey(attribute, `row ${r + 1}`);
        if (unmappable) throw new CommandError(Status.ANALYZE_JSON, unmappable);
        name = columnName(attribute);
        names.set(attribute, name);
        if (owner.has(name)) shared = true;
        else owner.set(name, attribute);
      }
      const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
      if (!seen.has(name)) seen.set(name, !isObject);
      else if (!isObject) seen.set(name, true);
      types.set(name, mergeTypes(types.get(name), typeOfValue(value, attribute)));
    }
  }
  // `Temp` in one row and `temp` in another fill one column (as EdgeLake); both in one row would lose a value.
  if (shared) {
    for (const [r, row] of rows.entries()) {
      const inRow = new Map<string, string>();
      for (const attribute of Object.keys(row)) {
        const name = names.get(attribute)!;
        const other = inRow.get(name);
        if (other !== undefined) throw new CommandError(Status.ANALYZE_JSON, sameColumn(other, attribute, name, `row ${r + 1}`));
        inRow.set(name, attribute);
      }
    }
  }
  return [...seen.entries()].filter(([, real]) => real).map(([name]) => ({ name, type: types.get(name) ?? 'varchar' }));
}

const indexed = (c: Column) => c.type.startsWith('timestamp') || c.name.includes('sensor_id');

/** EdgeLake's generic DDL (kept in the `table` policy): four leading columns, then the data columns, then indexes. */
/** Names are quoted where a bare name would break the statement (`group`, `0x40timestamp`: dbms/sql-names.ts). */
export function genericDdl(table: string, columns: readonly Column[], tsdIndex: boolean): string {
  const t = sqlName(table);
  const body = ['row_id SERIAL PRIMARY KEY', 'insert_timestamp TIMESTAMP NOT NULL DEFAULT NOW()', 'tsd_name CHAR(3)', 'tsd_id INT', ...columns.map((c) => `${sqlName(c.name)} ${c.type}`)];
  const firstUuid = columns.find((c) => c.type === 'uuid');
  const index = (name: string, on: string) => `CREATE INDEX ${sqlName(`${table}_${name}_index`)} ON ${t}(${on});`;
  const indexes = columns.filter((c) => indexed(c) || c === firstUuid).map((c) => index(c.name, sqlName(c.name)));
  if (tsdIndex) indexes.push(index('tsd', 'tsd_name, tsd_id'));
  indexes.sort();
  indexes.push(index('insert_timestamp', 'insert_timestamp'));
  return `CREATE TABLE IF NOT EXISTS ${t}(  ${body.join(',  ')} ); ${indexes.join(' ')}`;
}
