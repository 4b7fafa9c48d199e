// JSON rows -> values for a table's columns (operator.md §6). Attributes match columns exactly, then through the
// column-name normalization. Values are checked against the column type: a value that does not fit fails the
// file with the row and attribute named (EdgeLake lets SQLite take anything and loses data later).
import { CommandError } from '../core/status.js';
import type { ColumnInfo } from '../dbms/adapter.js';
import type { JsonRow } from './json-rows.js';
import { columnName } from './schema.js';

export const ERR_JSON_TO_INSERT = 27;
/** The columns every user table starts with (operator.md §5.2). */
export const SYSTEM_COLUMNS = ['row_id', 'insert_timestamp', 'tsd_name', 'tsd_id'];

function kind(type: string): 'int' | 'float' | 'bool' | 'time' | 'text' {
  const t = type.toLowerCase();
  if (/^(int|integer|bigint|smallint)/.test(t)) return 'int';
  if (/^(decimal|numeric|float|double|real)/.test(t)) return 'float';
  if (t.startsWith('bool')) return 'bool';
  if (t.startsWith('timestamp') || t === 'date' || t.startsWith('date ') || t.startsWith('time')) return 'time';
  return 'text';
}

type Kind = ReturnType<typeof kind>;

const BAD = Symbol('does not fit');

/** The value for a column of this kind, or BAD when it does not fit. */
function convert(value: unknown, k: Kind, type: string): unknown {
  if (value === null || value === undefined) return null;
  const bad = () => BAD;
  switch (k) {
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
      if (typeof value === 'boolean') return value ? 1 : 0;
      return bad();
    case 'float':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
      return bad();
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (value === 0 || value === 1) return value === 1;
      if (typeof value === 'string' && /^(true|false|0|1)$/i.test(value)) return /^(true|1)$/i.test(value);
      return bad();
    case 'time':
      if (typeof value === 'string' && value.trim() !== '') return value;
      // Epoch seconds into a timestamp column (operator.md §6: converted from epoch seconds).
      if (typeof value === 'number' && type.toLowerCase().startsWith('timestamp')) return new Date(value * 1000).toISOString();
      return bad();
    default:
      if (typeof value === 'object') return JSON.stringify(value);
      return typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
  }
}

export interface RowPlan {
  /** Data columns in insert order (after the four system columns). */
  columns: string[];
  values: unknown[][];
}

/**
 * Maps the file's rows onto the table's data columns. Attributes that are not columns are ignored (as EdgeLake).
 * The attribute -> column mapping is computed once per attribute name, not per row (100,000-row files).
 */
export function planRows(rows: readonly JsonRow[], tableColumns: readonly ColumnInfo[], fileName: string): RowPlan {
  const data = tableColumns.filter((c) => !SYSTEM_COLUMNS.includes(c.name));
  const index = new Map(data.map((c, i) => [c.name, i]));
  const kinds = data.map((c) => kind(c.type));
  const attributeColumn = new Map<string, number | undefined>();
  const columnOf = (attribute: string): number | undefined => {
    if (attributeColumn.has(attribute)) return attributeColumn.get(attribute);
    const i = index.get(attribute) ?? index.get(columnName(attribute));
    attributeColumn.set(attribute, i);
    return i;
  };
  const values = new Array<unknown[]>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const out = new Array<unknown>(data.length).fill(null);
    const filled = new Array<boolean>(data.length).fill(false);
    for (const attribute in row) {
      const i = columnOf(attribute);
      // An exact column name wins over a normalized one (`Device` and `device` in one row).
      if (i === undefined || (filled[i] && attribute !== data[i]!.name)) continue;
      const value = convert(row[attribute], kinds[i]!, data[i]!.type);
      if (value === BAD) {
        throw new CommandError(ERR_JSON_TO_INSERT, `${fileName}: row ${r + 1}, attribute '${data[i]!.name}': value ${JSON.stringify(row[attribute])} does not fit column type ${data[i]!.type}`);
      }
      out[i] = value;
      filled[i] = true;
    }
    values[r] = out;
  }
  return { columns: data.map((c) => c.name), values };
}

/** EdgeLake's insert_timestamp text: UTC with microseconds and Z. */
export function insertTimestamp(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
