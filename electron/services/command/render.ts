// Rendering a command's result for each destination, in one place:
//   CLI (and the console's text view): exactly what EdgeLake's CLI prints before its prompt (transcripts: the
//     bytes between `----- output` and `\rEL >`): text + \r\n; a JSON value as a blank line, the struct display and
//     a blank line; print/echo/!x as a blank line, the text in double quotes and a blank line; an error as the
//     code's text — and, our addition, the detail that names the token/option/file on the next line.
//   REST (and peers): the bare result text — JSON as Python's json.dumps, print kind as the raw text.
import type { CommandReply, TableOutput } from '../../../shared/types.js';
import { statusText } from '../core/status.js';
import { pyJsonDumps } from './format/pyjson.js';
import { formatTable } from './format/table.js';
import { rowDisplay } from './format/row-print.js';
import { structDisplay } from './format/struct-print.js';
import type { CommandResult } from './types.js';

/** A table result as EdgeLake's text table (utils_print.output_nested_lists), with its header and footer. */
export function tableText(table: TableOutput): string {
  return formatTable(table.columns, table.rows, { header: table.header, linePrefix: table.linePrefix, capitalTitle: table.capitalTitle }) + (table.footer ?? '');
}

/** `where format = json` of a table: its own JSON, else one object per row keyed by the column titles. */
export function tableJson(table: TableOutput): unknown {
  if (table.json !== undefined) return table.json;
  const keys = table.columns.map((c) => c.replace(/\n/g, ' '));
  return table.rows.map((row) => Object.fromEntries(keys.map((k, i) => [k, row[i] ?? null])));
}

export function renderCli(result: CommandResult): string {
  if (result.code !== 0) {
    const text = statusText(result.code);
    return result.detail && result.detail !== text ? `${text}\r\n${result.detail}\r\n` : `${text}\r\n`;
  }
  const output = result.output;
  if (!output) return '';
  switch (output.kind) {
    case 'none':
      return '';
    case 'text':
      return output.text === '' ? '' : `${output.text}\r\n`;
    case 'json':
      // An empty list prints nothing (EdgeLake: `blockchain get` of a type with no policy); REST still sends [].
      if (Array.isArray(output.value) && output.value.length === 0) return '';
      return `\r\n${structDisplay(output.value)}\r\n\r\n`;
    case 'print':
      return output.text === '' ? '' : `\r\n"${output.text}"\r\n\r\n`;
    case 'row':
      return rowDisplay(output.text);
    case 'table':
      return `${tableText(output)}\r\n`;
  }
}

/** The result as text a program reads (REST body, peer reply, `x = <command>` assignment). */
export function resultText(result: CommandResult): string {
  const output = result.output;
  if (!output) return '';
  switch (output.kind) {
    case 'none':
      return '';
    case 'text':
    case 'print':
    case 'row':
      return output.text;
    case 'json':
      return typeof output.value === 'string' ? output.value : pyJsonDumps(output.value);
    case 'table':
      return tableText(output);
  }
}

/** REST: the body and EdgeLake's content type (`text/json` when the text starts with { or [, else `text`). */
export function renderRest(result: CommandResult): { body: string; contentType: 'text' | 'text/json' } {
  const body = resultText(result);
  return { body, contentType: /^[{[]/.test(body) ? 'text/json' : 'text' };
}

/** The reply the console receives: the CLI text plus the JSON value, if the result is (or parses as) JSON. */
export function toReply(result: CommandResult): CommandReply {
  const reply: CommandReply = { code: result.code, text: renderCli(result) };
  if (result.code !== 0) {
    reply.errorText = statusText(result.code);
    if (result.detail) reply.detail = result.detail;
    return reply;
  }
  const output = result.output;
  if (output?.kind === 'json') reply.json = output.value;
  else if (output?.kind === 'table') reply.table = { columns: output.columns, rows: output.rows };
  else if (output?.kind === 'text' && /^\s*[{[]/.test(output.text)) {
    try {
      reply.json = JSON.parse(output.text);
    } catch {
      // a text that merely starts with a bracket: no tree
    }
  }
  return reply;
}
