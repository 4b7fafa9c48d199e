// `get operator [inserts/summary/config/json/sql/error]`: the operator's counters (counters.ts) as EdgeLake prints
// them (transcript get-operator.txt): one table per section under `Stats: <SECTION>`; the dbms of a per-table row is
// printed on its first row only. `where format = json` gives EdgeLake's JSON shapes (per-table sections as
// {dbms: {table: [values as strings]}}); the whole report is the four sections, and its JSON the four elements.
import { jsonResult, tableResult, textResult } from '../command/results.js';
import { tableText } from '../command/render.js';
import type { CommandResult, CommandSpec } from '../command/types.js';
import type { TableOutput } from '../../../shared/types.js';
import { CommandError, Status } from '../core/status.js';
import { elapsed } from '../dbms/query-output.js';
import type { OperatorCounters, SqlStats, TableStats } from './counters.js';

export interface OperatorStatsHost {
  /** The running operator's counters and identity, undefined when it is not running. */
  stats(): { counters: OperatorCounters; started: number; member: string; policy: string; cluster: string } | undefined;
  /** `name@ip:port` for the summary table. */
  nodeName(): string;
}

type Cell = string | number;
const VARIANTS = ['', 'inserts', 'summary', 'config', 'json', 'sql', 'error'];
const CONFIG_COLUMNS = ['Status', 'Operational time', 'Timestamp', 'Member', 'Policy', 'Cluster'];
const FILE_COLUMNS = ['DBMS', 'Table', 'Files', 'Immediate', 'Timestamp', 'Elapsed_time'];

/** One section as a table result: `Stats: <title>` above the titles. */
function section(title: string, columns: string[], rows: Cell[][], json?: unknown): CommandResult {
  return tableResult(columns, rows, { header: `\nStats: ${title}`, ...(json !== undefined ? { json } : {}) });
}

const textOf = (result: CommandResult): string => tableText(result.output as TableOutput);

const byKey = <T,>(entries: Iterable<[string, T]>) => [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Rows of a per-table section: sorted by dbms.table, the dbms printed on its first row only. */
function perKey<T>(entries: Iterable<[string, T]>, f: (dbms: string, table: string, s: T) => Cell[]): Cell[][] {
  let lastDbms = '';
  return byKey(entries).map(([key, s]) => {
    const dot = key.indexOf('.');
    const dbms = key.slice(0, dot);
    const row = f(dbms === lastDbms ? '' : dbms, key.slice(dot + 1), s);
    lastDbms = dbms;
    return row;
  });
}

/** `{dbms: {table: values}}`, EdgeLake's JSON shape of a per-table section. */
function nested<T>(entries: Iterable<[string, T]>, f: (s: T) => string[]): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  for (const [key, s] of byKey(entries)) {
    const dot = key.indexOf('.');
    (out[key.slice(0, dot)] ??= {})[key.slice(dot + 1)] = f(s);
  }
  return out;
}

function errorRows(c: OperatorCounters, now: number) {
  return (['json', 'sql'] as const).map((kind) => {
    const e = c.errors[kind];
    return {
      type: kind === 'json' ? 'JSON Errors' : 'SQL Errors',
      counter: e.count,
      timestamp: e.last ? Math.floor(e.last.time / 1000) : 0,
      'elapsed time': e.last ? elapsed(now - e.last.time) : '00:00:00',
      'dbms name': e.last?.dbms ?? '',
      'table name': e.last?.table ?? '',
      'last error': e.last?.code ?? Status.SUCCESS,
      'last error text': e.last?.text ?? '',
    };
  });
}

/** The sections of a running operator's report. */
function sections(c: OperatorCounters, now: number): Record<'inserts' | 'json' | 'sql' | 'error', CommandResult> {
  const secs = (t: number) => Math.floor(t / 1000);
  const inserts = (s: TableStats) => [String(secs(s.first)), String(secs(s.last)), elapsed(now - s.first), elapsed(now - s.last), String(s.batchRows), String(s.immediateRows), String(s.dbmsMs / 1000)];
  const files = (s: TableStats | SqlStats) => [String(s.files), String(s.immediate), String(secs(s.last)), elapsed(now - s.last)];
  const fileRows = (d: string, t: string, s: TableStats | SqlStats): Cell[] => [d, t, s.files, s.immediate, secs(s.last), elapsed(now - s.last)];
  const jsonTables = [...c.tables].filter(([, s]) => s.files > 0 || s.immediate > 0);
  const errors = errorRows(c, now);
  return {
    json: section('OPERATOR JSON', FILE_COLUMNS, perKey(jsonTables, fileRows), nested(jsonTables, files)),
    sql: section('OPERATOR SQL', FILE_COLUMNS, perKey(c.sql, fileRows), nested(c.sql, files)),
    inserts: section(
      'OPERATOR INSERTS',
      ['DBMS', 'Table', 'First insert', 'Last insert', 'Batch inserts', 'Immediate inserts', 'DBMS Seconds'],
      perKey(c.tables, (d, t, s) => [d, t, elapsed(now - s.first), elapsed(now - s.last), s.batchRows, s.immediateRows, (s.dbmsMs / 1000).toFixed(3)]),
      nested(c.tables, inserts),
    ),
    error: section(
      'OPERATOR ERROR',
      ['Type', 'Counter', 'Timestamp', 'Elapsed time', 'Dbms name', 'Table name', 'Last error', 'Last error text'],
      errors.map((e) => Object.values(e)),
      errors,
    ),
  };
}

export function getOperatorCommand(host: OperatorStatsHost): CommandSpec {
  return {
    key: 'get operator',
    usage: 'get operator [inserts/summary/config/json/sql/error] where format = [table/json]',
    help: 'Operator statistics: files and rows per table, inserts, errors, summary and configuration.',
    maxArgs: 1,
    where: { format: { type: 'format', default: 'table' } },
    run: (_ctx, inv) => {
      const variant = inv.args[0] ?? '';
      if (!VARIANTS.includes(variant)) throw new CommandError(Status.COMMAND_STRUCT, `get operator ${variant}: use inserts, summary, config, json, sql or error`);
      const r = host.stats();
      if (!r) {
        const inactive = section('OPERATOR CONFIG', CONFIG_COLUMNS, [['Not Active', '', '', '', '', '']]);
        return inv.format === 'json' ? textResult(textOf(inactive)) : inactive; // the table, whatever the format
      }
      const c = r.counters;
      const now = Date.now();
      const operational = elapsed(now - r.started);
      if (variant === 'config') {
        const value = { status: 'Active', 'operational time': operational, timestamp: Math.floor(r.started / 1000), member: Number(r.member), policy: r.policy, cluster: r.cluster };
        return section('OPERATOR CONFIG', CONFIG_COLUMNS, [['Active', operational, value.timestamp.toLocaleString('en-US'), value.member, value.policy, value.cluster]], value);
      }
      if (variant === 'summary') {
        // "New" counters and the elapsed time are since the previous summary (reading resets them).
        const mark = c.summaryMark;
        const value = {
          'node name': host.nodeName(),
          status: 'Active',
          'operational time': operational,
          'processing time': elapsed(c.processingMs),
          'elapsed time': elapsed(now - mark.at),
          'new rows': c.totalRows - mark.rows,
          'total rows': c.totalRows,
          'new errors': c.totalErrors - mark.errors,
          'total errors': c.totalErrors,
          'avg. rows/sec': Number((c.totalRows / Math.max(1, (now - r.started) / 1000)).toFixed(2)),
        };
        c.summaryMark = { at: now, rows: c.totalRows, errors: c.totalErrors };
        const columns = ['Node name', 'Status', 'Operational time', 'Processing time', 'Elapsed time', 'New rows', 'Total rows', 'New errors', 'Total errors', 'Avg. rows/sec'];
        return section('OPERATOR SUMMARY', columns, [Object.values(value)], value);
      }
      const all = sections(c, now);
      if (variant !== '') return all[variant as keyof typeof all];
      const order = [all.json, all.sql, all.inserts, all.error];
      // EdgeLake's four elements: json, sql and inserts as {dbms: {table: [values as strings]}}, then the errors.
      if (inv.format === 'json') return jsonResult(order.map((s) => (s.output as TableOutput).json));
      return textResult(order.map(textOf).join(''));
    },
  };
}
