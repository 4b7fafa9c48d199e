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

function convert(value: unknown, type: string, where: () => string): unknown {
  if (value === null || value === undefined) return null;
  const k = kind(type);
  const bad = () => new CommandError(ERR_JSON_TO_INSERT, `${where()}: value ${JSON.stringify(value)} does not fit column type ${type}`);
  switch (k) {
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
      if (typeof value === 'boolean') return value ? 1 : 0;
      throw bad();
    case 'float':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
      throw bad();
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (value === 0 || value === 1) return value === 1;
      if (typeof value === 'string' && /^(true|false|0|1)$/i.test(value)) return /^(true|1)$/i.test(value);
      throw bad();
    case 'time':
      if (typeof value === 'string' && value.trim() !== '') return value;
      // Epoch seconds into a timestamp column (operator.md §6: converted from epoch seconds).
      if (typeof value === 'number' && type.toLowerCase().startsWith('timestamp')) return new Date(value * 1000).toISOString();
      throw bad();
    default:
      if (Array.isArray(value)) return JSON.stringify(value);
      if (typeof value === 'object') return JSON.stringify(value);
      return typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
  }
}

export interface RowPlan {
  /** Data columns in insert order (after the four system columns). */
  columns: string[];
  values: unknown[][];
}

/** Maps the file's rows onto the table's data columns. Attributes that are not columns are ignored (as EdgeLake). */
export function planRows(rows: readonly JsonRow[], tableColumns: readonly ColumnInfo[], fileName: string): RowPlan {
  const data = tableColumns.filter((c) => !SYSTEM_COLUMNS.includes(c.name));
  const values = rows.map((row, r) => {
    const byName = new Map<string, unknown>();
    for (const [attribute, value] of Object.entries(row)) {
      if (!byName.has(attribute)) byName.set(attribute, value);
      const normalized = columnName(attribute);
      if (!byName.has(normalized)) byName.set(normalized, value);
    }
    return data.map((c) => convert(byName.get(c.name), c.type, () => `${fileName}: row ${r + 1}, attribute '${c.name}'`));
  });
  return { columns: data.map((c) => c.name), values };
}

/** EdgeLake's insert_timestamp text: UTC with microseconds and Z. */
export function insertTimestamp(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
