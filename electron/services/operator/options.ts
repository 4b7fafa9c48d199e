// `run operator where ...` options (commands.md §9.3) with EdgeLake's defaults, plus the seed forms the spec's
// decision 1 accepts (archive, master, move_json, delete_json, dbms_name/table_name = file_name[n] ...).
import { CommandError, Status } from '../core/status.js';
import type { WhereOptions, WhereSchema } from '../command/types.js';
import { MAX_FILE_SIZE } from './watch-entry.js';

export const RUN_OPERATOR_OPTIONS: WhereSchema = {
  policy: { type: 'str', required: true },
  create_table: { type: 'bool', default: true },
  update_tsd_info: { type: 'bool', default: false },
  archive_json: { type: 'bool' },
  compress_json: { type: 'bool', default: true },
  archive_sql: { type: 'bool', default: false },
  compress_sql: { type: 'bool', default: true },
  master_node: { type: 'ip.port' },
  blockchain: { type: 'str' },
  company: { type: 'str' },
  limit_tables: { type: 'str', repeat: true },
  file_type: { type: 'str', repeat: true },
  threads: { type: 'int', default: 1 },
  distributor: { type: 'bool', default: false },
  flush_streaming: { type: 'bool', default: false },
  watch_dir: { type: 'str' },
  err_dir: { type: 'str' },
  distr_dir: { type: 'str' },
  // Largest file (and largest decompressed .gz content) the operator reads: beyond it the file goes to !err_dir.
  max_file_size: { type: 'int.storage', default: MAX_FILE_SIZE },
  // seed forms
  archive: { type: 'bool' },
  master: { type: 'ip.port' },
  move_json: { type: 'bool' },
  move_sql: { type: 'bool' },
  delete_json: { type: 'bool' },
  delete_sql: { type: 'bool' },
  dbms_name: { type: 'str' },
  table_name: { type: 'str' },
};

export interface OperatorConfig {
  policy: string;
  createTable: boolean;
  updateTsdInfo: boolean;
  archiveJson: boolean;
  compressJson: boolean;
  masterNode?: string | undefined;
  /** `dbms.table` keys (limit_tables = (test.readings, test.other)). */
  limitTables: string[];
  /** `file_type = json|sql` (repeatable): the file types taken; empty = both. */
  fileTypes: string[];
  archiveSql: boolean;
  compressSql: boolean;
  threads: number;
  distributor: boolean;
  watchDir?: string | undefined;
  errDir?: string | undefined;
  distrDir?: string | undefined;
  /** Bytes (max_file_size, default 64MB). */
  maxFileSize: number;
}

export function operatorConfig(o: WhereOptions): OperatorConfig {
  const threads = o.threads as number;
  const maxFileSize = (o.max_file_size as number | undefined) ?? MAX_FILE_SIZE;
  if (!(maxFileSize >= 1)) throw new CommandError(Status.COMMAND_STRUCT, `max_file_size = ${maxFileSize}: give a size such as 64MB`);
  if (threads < 1 || threads > 10) throw new CommandError(Status.COMMAND_STRUCT, `threads = ${threads}: the operator runs 1 to 10 threads`);
  for (const key of ['dbms_name', 'table_name'] as const) {
    const v = o[key] as string | undefined;
    const expected = key === 'dbms_name' ? 'file_name[0]' : 'file_name[1]';
    if (v !== undefined && v.replace(/\s/g, '') !== expected) {
      throw new CommandError(Status.COMMAND_STRUCT, `${key} = ${v}: only ${expected} is supported (names come from the file name)`);
    }
  }
  const fileTypes = ((o.file_type as string[] | undefined) ?? []).flatMap((v) => v.replace(/^\(|\)$/g, '').split(',')).map((t) => t.trim().toLowerCase()).filter(Boolean);
  for (const t of fileTypes) if (t !== 'json' && t !== 'sql') throw new CommandError(Status.COMMAND_STRUCT, `file_type = ${t}: the operator takes json and sql files`);
  const limitTables = ((o.limit_tables as string[] | undefined) ?? []).flatMap((v) => v.replace(/^\(|\)$/g, '').split(',')).map((t) => t.trim().toLowerCase()).filter(Boolean);
  for (const t of limitTables) {
    if (!/^[a-z0-9_]+\.[a-z0-9_]+$/.test(t)) throw new CommandError(Status.COMMAND_STRUCT, `limit_tables: '${t}' is not dbms.table`);
  }
  // archive_json (EdgeLake) or archive (seed); delete_json = true means no archive.
  const archive = (o.archive_json as boolean | undefined) ?? (o.archive as boolean | undefined) ?? (o.delete_json === true ? false : true);
  return {
    policy: o.policy as string,
    createTable: o.create_table as boolean,
    updateTsdInfo: o.update_tsd_info as boolean,
    archiveJson: archive,
    compressJson: o.compress_json as boolean,
    masterNode: (o.master_node as string | undefined) ?? (o.master as string | undefined),
    limitTables,
    fileTypes,
    archiveSql: (o.archive_sql as boolean | undefined) ?? (o.move_sql as boolean | undefined) ?? false,
    compressSql: o.compress_sql as boolean,
    threads,
    distributor: o.distributor as boolean,
    watchDir: o.watch_dir as string | undefined,
    errDir: o.err_dir as string | undefined,
    distrDir: o.distr_dir as string | undefined,
    maxFileSize,
  };
}
