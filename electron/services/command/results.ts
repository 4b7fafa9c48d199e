// Building handlers' results: text, a JSON value, or a table of rows (rendered in one place, render.ts).
import type { TableCell, TableOutput } from '../../../shared/types.js';
import type { Cell } from './format/table.js';
import type { CommandResult } from './types.js';

export const textResult = (text: string): CommandResult => ({ code: 0, output: { kind: 'text', text } });

export const jsonResult = (value: unknown): CommandResult => ({ code: 0, output: { kind: 'json', value } });

/** Rows under titles; `json` is what `where format = json` answers when not one object per row. */
export function tableResult(columns: string[], rows: readonly (readonly Cell[])[], options: Omit<TableOutput, 'kind' | 'columns' | 'rows'> = {}): CommandResult {
  return { code: 0, output: { kind: 'table', columns, rows: rows.map((r) => r.map((c): TableCell => (c === undefined ? null : c))), ...options } };
}
