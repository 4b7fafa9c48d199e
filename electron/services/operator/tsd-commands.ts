// Commands over the file-tracking table and the node's directories (commands.md §9.4): get tsd details / summary /
// errors / list (and the seed's `time file get / summary / errors`), file hash, get files, get directories.
// `get tsd errors` lists the files of !err_dir with the reason kept beside each (EdgeLake lists every tsd row
// under that name; our failed files leave no tsd row, their reasons live in the error directory).
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { formatTable } from '../command/format/table.js';
import { tableResult, textResult } from '../command/results.js';
import type { CommandResult, CommandSpec, WhereSchema } from '../command/types.js';
import { CommandError, Status } from '../core/status.js';
import type { DbmsAdapter } from '../dbms/adapter.js';
import { parseDate, tsdTimeText } from './dates.js';
import { parseWhere } from '../command/where.js';
import type { Dictionary } from '../command/dictionary.js';
import { fileHash, parseFileName } from './file-name.js';
import { rename } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

export interface TsdDeps {
  dictionary: Dictionary;
  database(name: string): DbmsAdapter;
  /** This node's member id (the operator's), '0' without one. */
  member(): string;
}

const TSD_OPTIONS: WhereSchema = {
  table: { type: 'str', default: 'tsd_info' },
  hash: { type: 'str' },
  start_date: { type: 'date' },
  end_date: { type: 'date' },
  limit: { type: 'int', default: 100 },
  format: { type: 'format', default: 'table' },
};

const RENAME_OPTIONS: WhereSchema = {
  dbms: { type: 'str', required: true },
  table: { type: 'str', required: true },
  source: { type: 'str', default: '0' },
  hash: { type: 'str' },
  instructions: { type: 'str', default: '0' },
};


function dateText(v: unknown): string {
  return v instanceof Date ? v.toISOString().replace('T', ' ').replace('Z', '') : String(v ?? '');
}

export function tsdCommands(deps: TsdDeps): CommandSpec[] {
  const title = (table: string) => `\nInfo on TSD Table: ${table} (tsd_${deps.member()})`;
  const filter = (o: Record<string, unknown>): { where: string; params: unknown[]; table: string } => {
    const table = String(o.table);
    if (!/^tsd_(info|\d+)$/.test(table)) throw new CommandError(Status.TABLE_NAME, `Wrong table name '${table}' (tsd_info or tsd_<member id>)`);
    const parts: string[] = [];
    const params: unknown[] = [];
    const add = (condition: string, value: unknown) => {
      parts.push(condition);
      params.push(value);
    };
    if (o.hash) add('file_hash = ?', o.hash);
    if (o.start_date) add('file_time >= ?', parseDate(String(o.start_date)));
    if (o.end_date) add('file_time <= ?', parseDate(String(o.end_date)));
    return { where: parts.length ? `where ${parts.join(' and ')}` : '', params, table };
  };
  const almgm = () => deps.database('almgm');
  const ensureTable = async (db: DbmsAdapter, table: string) => {
    if (!(await db.tables()).includes(table)) throw new CommandError(Status.TABLE_NAME, `Wrong table name: '${table}' does not exist in dbms 'almgm'`);
  };

  const details = async (o: Record<string, unknown>): Promise<CommandResult> => {
    const db = almgm();
    const f = filter(o);
    await ensureTable(db, f.table);
    const r = await db.query(
      `select file_id, dbms_name, table_name, source, file_hash, instructions, file_time, rows, status1, status2 from ${f.table} ${f.where} order by file_id desc limit ?`,
      [...f.params, o.limit],
    );
    const titles = ['ID', 'DBMS', 'Table', 'Source', 'Hash', 'Instructions', 'Date', 'Rows', 'Status 1', 'Status 2'];
    const rows = r.rows.map((row) => row.map((v, i) => (i === 6 ? dateText(v) : v === null ? '' : String(v))));
    return tableResult(titles, rows, { header: title(f.table), json: { [f.table]: rows.map((row) => Object.fromEntries(titles.map((t, i) => [t, row[i]]))) } });
  };

  const summary = async (o: Record<string, unknown>, format: string): Promise<CommandResult> => {
    const db = almgm();
    const f = filter(o);
    await ensureTable(db, f.table);
    const r = await db.query(
      `select dbms_name, table_name, min(file_time), min(file_id), max(file_time), max(file_id), count(*), count(distinct source), count(distinct status1), count(distinct status2), sum(rows) from ${f.table} ${f.where} group by dbms_name, table_name order by dbms_name, table_name`,
      f.params,
    );
    if (format === 'json') {
      return textResult(JSON.stringify(Object.fromEntries(r.rows.map((row) => [`${row[0]}.${row[1]}`, { files: Number(row[6]), rows: Number(row[10] ?? 0) }]))).replace(/":/g, '": ').replace(/,"/g, ', "'));
    }
    let lastDbms = '';
    const rows = r.rows.map((row) => {
      const dbms = row[0] === lastDbms ? '' : String(row[0]);
      lastDbms = String(row[0]);
      return [dbms, String(row[1]), dateText(row[2]), Number(row[3]), dateText(row[4]), Number(row[5]), Number(row[6]), Number(row[7]), Number(row[8]), Number(row[9]), Number(row[10] ?? 0)];
    });
    lastDbms = '';
    const totals = r.rows.map((row) => {
      const dbms = row[0] === lastDbms ? '' : String(row[0]);
      lastDbms = String(row[0]);
      return [dbms, String(row[1]), Number(row[6]), Number(row[10] ?? 0)];
    });
    const titles = ['DBMS', 'Table', 'Start Date', 'From ID', 'End Date', 'To ID', 'Files Count', 'Source Count', 'Status 1', 'Status 2', 'Total Rows'];
    return textResult(`\r\n${title(f.table)}${formatTable(titles, rows)}\r\n\nTotal all TSD Tables${formatTable(['DBMS', 'Table', 'Files Count', 'Total Rows'], totals)}`);
  };

  const errors = async (o: Record<string, unknown>): Promise<CommandResult> => {
    const dir = deps.dictionary.get('err_dir')!;
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.err.json')).sort();
    const entries: { file: string; code: number; error: string; reason: string; time: string }[] = [];
    for (const n of names) {
      try {
        entries.push(JSON.parse(await readFile(join(dir, n), 'utf8')) as (typeof entries)[number]);
      } catch {
        entries.push({ file: n.replace(/\.err\.json$/, ''), code: Status.SUCCESS, error: 'unreadable reason file', reason: n, time: '' });
      }
    }
    const start = o.start_date ? parseDate(String(o.start_date)).replace(' ', 'T') : undefined;
    const shown = entries.filter((e) => !start || e.time >= start).slice(0, Number(o.limit));
    return tableResult(['File', 'Code', 'Error', 'Reason', 'Time'], shown.map((e) => [e.file, e.code, e.error, e.reason, e.time]), { header: `\nFiles in the error directory ${dir}`, json: shown });
  };

  const timeFileNew = async (args: readonly string[]): Promise<CommandResult> => {
    const [path, s1 = '', s2 = ''] = args as [string, string?, string?];
    const meta = parseFileName(basename(path));
    const hash = meta.hash !== '0' ? meta.hash : fileHash(meta.dbms, meta.table, await readFile(path));
    const db = almgm();
    await db.run(
      'insert into tsd_info (dbms_name, table_name, source, file_hash, instructions, file_time, rows, status1, status2) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [meta.dbms, meta.table, meta.source, hash, meta.instructions, tsdTimeText(new Date()), 0, s1, s2],
    );
    const id = (await db.query('select file_id from tsd_info where file_hash = ?', [hash])).rows[0]![0];
    return textResult(String(id));
  };

  const tsdVariant = (key: string, seed: string, help: string, run: (o: Record<string, unknown>, format: string) => Promise<CommandResult>): CommandSpec[] => [
    { key, usage: `${key} where table = [tsd table] and hash = [hash] and start_date = [date] and end_date = [date] and limit = [rows] and format = [table/json]`, help, maxArgs: 0, where: TSD_OPTIONS, run: (_c, inv) => run(inv.options, inv.format) },
    // The seed form takes an optional hash word: `time file get <hash>`.
    { key: seed, usage: `${seed} [hash] where ...`, help: `Seed form of '${key}'.`, maxArgs: 1, where: TSD_OPTIONS, run: (_c, inv) => run(inv.args[0] ? { ...inv.options, hash: inv.args[0] } : inv.options, inv.format) },
  ];

  return [
    ...tsdVariant('get tsd details', 'time file get', 'Rows of the file-tracking table (newest first): file id, dbms, table, source, hash, time, rows.', details),
    ...tsdVariant('get tsd summary', 'time file summary', 'Files and rows per table in the file-tracking table.', summary),
    ...tsdVariant('get tsd errors', 'time file errors', 'Files that failed ingestion, from the error directory, with their reasons.', errors),
    {
      key: 'time file new',
      usage: 'time file new [file name] [optional status 1] [optional status 2]',
      help: 'Records a file in tsd_info (rows 0) and prints its row id; the hash is the one in the name, else computed from the file.',
      minArgs: 1,
      maxArgs: 3,
      run: (_c, inv) => timeFileNew(inv.args),
    },
    {
      key: 'time file add',
      usage: 'time file add [file name] [optional status 1] [optional status 2]',
      help: "Same as 'time file new'.",
      minArgs: 1,
      maxArgs: 3,
      run: (_c, inv) => timeFileNew(inv.args),
    },
    {
      key: 'time file update',
      usage: 'time file update [hash value] [optional status 1] [optional status 2]',
      help: 'Sets status 1 and status 2 of the file with this hash.',
      minArgs: 1,
      maxArgs: 3,
      run: async (_c, inv) => {
        const [hash, s1 = '', s2 = ''] = inv.args;
        const changed = await almgm().run('update tsd_info set status1 = ?, status2 = ? where file_hash = ?', [s1, s2, hash]);
        if (changed === 0) throw new CommandError(Status.PROCESS_FAILURE, `No file with hash '${hash}' in tsd_info`);
        return { code: Status.SUCCESS };
      },
    },
    {
      key: 'time file drop',
      usage: 'time file drop [all/table_name]',
      help: "Deletes the rows of tsd_info: 'all' of them, or those of one table.",
      minArgs: 1,
      maxArgs: 1,
      run: async (_c, inv) => {
        const which = inv.args[0]!;
        const n = which === 'all' ? await almgm().run('delete from tsd_info') : await almgm().run('delete from tsd_info where table_name = ?', [which.toLowerCase()]);
        return textResult(`${n} rows deleted from tsd_info`);
      },
    },
    {
      key: 'time file delete',
      usage: 'time file delete [row id] from [TSD table name]',
      help: 'Deletes one row of a TSD table by its id.',
      minArgs: 3,
      maxArgs: 3,
      run: async (_c, inv) => {
        const [id, from, table] = inv.args as [string, string, string];
        if (from !== 'from' || !/^\d+$/.test(id) || !/^tsd_(info|\d+)$/.test(table)) throw new CommandError(Status.COMMAND_STRUCT, 'usage: time file delete <row id> from <tsd table>');
        const n = await almgm().run(`delete from ${table} where file_id = ?`, [Number(id)]);
        if (n === 0) throw new CommandError(Status.PROCESS_FAILURE, `No row ${id} in ${table}`);
        return { code: Status.SUCCESS };
      },
    },
    {
      key: 'time file rename',
      usage: 'time file rename [source file path and name] to dbms = [dbms name] and table = [table name] and source = [source ID] and hash = [hash value] and instructions = [instructions id]',
      help: 'Renames a file to the name the operator expects, from the given segments.',
      // EdgeLake's form has no `where`: `time file rename <file> to dbms = .. and table = ..` (parsed here).
      raw: true,
      run: async (_c, inv) => {
        const [fileToken, to, ...rest] = inv.tokens;
        if (!fileToken || to?.text !== 'to') throw new CommandError(Status.COMMAND_STRUCT, 'usage: time file rename <file> to dbms = .. and table = .. [and source = ..]');
        const path = deps.dictionary.resolve(fileToken.text) ?? fileToken.text;
        const o = parseWhere(rest, RENAME_OPTIONS, deps.dictionary);
        const dbms = String(o.dbms).toLowerCase();
        const table = String(o.table).toLowerCase();
        const hash = (o.hash as string | undefined) ?? fileHash(dbms, table, await readFile(path));
        const type = basename(path).split('.').pop() ?? 'json';
        const target = join(dirname(path), `${dbms}.${table}.${String(o.source)}.${hash}.${String(o.instructions)}.${type}`);
        parseFileName(basename(target)); // the new name must be one the operator accepts
        await rename(path, target);
        return textResult(target);
      },
    },
    {
      key: 'get tsd list',
      usage: 'get tsd list',
      help: 'The TSD tables of this node (tsd_info and tsd_<member> tables).',
      keyOnly: true,
      run: async () => {
        const tables = (await almgm().tables()).filter((t) => /^tsd_(info|\d+)$/.test(t));
        return textResult(`\r\n${tables.join('\r\n')}\r\n`);
      },
    },
    {
      key: 'file hash',
      usage: 'file hash [path and file name]',
      help: "md5 of the file's bytes (note: the operator's hash also covers 'dbms.table', see tsd_info).",
      minArgs: 1,
      maxArgs: 1,
      run: async (_c, inv) => {
        const path = inv.args[0]!;
        const bytes = await readFile(path).catch((err: Error) => {
          throw new CommandError(Status.FILE_DOES_NOT_EXIST, `${path}: ${err.message}`);
        });
        return textResult(createHash('md5').update(bytes).digest('hex'));
      },
    },
    {
      key: 'get files',
      usage: 'get files [directory path]',
      help: 'The files of a directory, one full path per line.',
      minArgs: 1,
      maxArgs: 1,
      run: async (_c, inv) => listDir(inv.args[0]!, false),
    },
    {
      key: 'get directories',
      usage: 'get directories [directory path]',
      help: 'The sub-directories of a directory, one full path per line.',
      minArgs: 1,
      maxArgs: 1,
      run: async (_c, inv) => listDir(inv.args[0]!, true),
    },
  ];
}

async function listDir(path: string, directories: boolean): Promise<CommandResult> {
  const dir = path.endsWith('/') ? path : `${path}/`;
  const names = await readdir(dir).catch(() => undefined);
  if (names === undefined) throw new CommandError(Status.DIR_DOES_NOT_EXIST, `Directory '${dir}' does not exist`);
  const picked: string[] = [];
  for (const name of names.sort()) {
    const s = await stat(join(dir, name)).catch(() => undefined);
    if (s && s.isDirectory() === directories) picked.push(join(dir, name));
  }
  if (picked.length === 0) return textResult(`No ${directories ? 'directories' : 'files'} with path provided: '${dir}'`);
  return textResult(`\r\n${picked.join('\r\n')}`);
}
