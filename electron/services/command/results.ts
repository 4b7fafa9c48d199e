// Building handlers' results: text, a JSON value, or a table of rows (rendered in one place, render.ts).
import type { TableCell, TableOutput } from '../../../shared/types.js';
import type { Cell } from './format/table.js';
import type { CommandResult } from './types.js';

export const textResult = (text: string): CommandResult => ({ code: 0, output: { kind: 'text', text } });

export const jsonResult = (value: unknown): CommandResult => ({ code: 0, output: { kind: 'json', value } });

type TableOptions = Omit<TableOutput, 'kind' | 'columns' | 'rows'>;

/** A table value (rendered by render.ts's tableText). */
export function tableOf(columns: string[], rows: readonly (readonly Cell[])[], options: TableOptions = {}): TableOutput {
  return { kind: 'table', columns, rows: rows.map((r) => r.map((c): TableCell => (c === undefined ? null : c))), ...options };
}

/** Rows under titles; `json` is what `where format = json` answers when not one object per row. */
export function tableResult(columns: string[], rows: readonly (readonly Cell[])[], options: TableOptions = {}): CommandResult {
  return { code: 0, output: tableOf(columns, rows, options) };
}
