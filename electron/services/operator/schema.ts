// Table schemas inferred from JSON rows, and the DDL EdgeLake generates for them (operator.md §5). Unlike
// EdgeLake (first row decides), every row is scanned and the types merged; the DDL text is EdgeLake's, so the
// `table` policy it publishes is the same as a real operator's.

/** Column names: lower case; space - . / \ : become '_'; other symbols 0x<hex>; a numeric name gets '_' first. */
export function columnName(attribute: string): string {
  let out = '';
  for (const ch of attribute.toLowerCase()) {
    if (/[a-z0-9_]/.test(ch)) out += ch;
    else if (/[\s\-./\\:]/.test(ch)) out += '_';
    else out += `0x${ch.codePointAt(0)!.toString(16)}`;
  }
  return /^\d+$/.test(out) ? `_${out}` : out;
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

/** Columns in first-seen order; a column seen only with null is varchar; object attributes are dropped. */
export function inferColumns(rows: readonly Record<string, unknown>[]): Column[] {
  const types = new Map<string, string | undefined>();
  const seen = new Map<string, boolean>(); // false: only objects so far
  for (const row of rows) {
    for (const [attribute, value] of Object.entries(row)) {
      const name = columnName(attribute);
      const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
      if (!seen.has(name)) seen.set(name, !isObject);
      else if (!isObject) seen.set(name, true);
      types.set(name, mergeTypes(types.get(name), typeOfValue(value, attribute)));
    }
  }
  return [...seen.entries()].filter(([, real]) => real).map(([name]) => ({ name, type: types.get(name) ?? 'varchar' }));
}

const indexed = (c: Column) => c.type.startsWith('timestamp') || c.name.includes('sensor_id');

/** EdgeLake's generic DDL (kept in the `table` policy): four leading columns, then the data columns, then indexes. */
export function genericDdl(table: string, columns: readonly Column[], tsdIndex: boolean): string {
  const body = ['row_id SERIAL PRIMARY KEY', 'insert_timestamp TIMESTAMP NOT NULL DEFAULT NOW()', 'tsd_name CHAR(3)', 'tsd_id INT', ...columns.map((c) => `${c.name} ${c.type}`)];
  const firstUuid = columns.find((c) => c.type === 'uuid');
  const indexes = columns.filter((c) => indexed(c) || c === firstUuid).map((c) => `CREATE INDEX ${table}_${c.name}_index ON ${table}(${c.name});`);
  if (tsdIndex) indexes.push(`CREATE INDEX ${table}_tsd_index ON ${table}(tsd_name, tsd_id);`);
  indexes.sort();
  indexes.push(`CREATE INDEX ${table}_insert_timestamp_index ON ${table}(insert_timestamp);`);
  return `CREATE TABLE IF NOT EXISTS ${table}(  ${body.join(',  ')} ); ${indexes.join(' ')}`;
}

/** The generic DDL as SQLite statements (operator.md §5.2 "SQLite translation"). */
export function sqliteStatements(generic: string): string[] {
  return generic
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) =>
      s
        .toLowerCase()
        .replace('create table if not exists', 'create table')
        .replace('serial primary key', 'integer primary key autoincrement')
        .replace(/(timestamp not null default )now\(\)/g, '$1current_timestamp')
        .replace(/(date not null default )now\(\)/g, "$1(date('now'))")
        .replace(/(time not null default )now\(\)/g, "$1(time('now'))"),
    );
}
