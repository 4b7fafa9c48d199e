// Ingesting one watch-directory file: name -> rows -> table (created when new) -> tsd_info -> archive, or the
// error directory with the reason beside the file. Nothing is half-done:
//   1. with update_tsd_info, a tsd_info row is committed first (rows = 0): it reserves the file's id;
//   2. the data rows are inserted in one transaction, each carrying tsd_name/tsd_id = member/file id;
//   3. tsd_info.rows is set; 4. the file is archived (written to a temporary name, then renamed); 5. the
//   source is removed from the watch directory. A crash anywhere leaves the file in the watch directory, and the
//   next attempt resumes from what the database says: data rows with this file's tsd_id mean step 2 committed,
//   so they are not inserted twice. A file whose hash is recorded AND archived is a true duplicate (error 86).
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CommandError, Status, statusText } from '../core/status.js';
import { ident, type DbmsAdapter, type Transaction } from '../dbms/adapter.js';
import { partitionName, partitionsOf, type PartitionRule } from '../dbms/partitions.js';
import { fileHash, parseFileName, recordedName, type FileName } from './file-name.js';
import { ERR_ANALYZE_JSON, parseJsonRows } from './json-rows.js';
import { insertTimestamp, rowPlanner } from './rows.js';
import { ddlStatements } from '../dbms/ddl.js';
import { genericDdl, inferColumns } from './schema.js';

export const ERR_DUPLICATE = 86;
/** Rows planned and inserted at a time (a 5,000-row file is one chunk). */
const PLAN_CHUNK = 10_000;

class RetryLater extends Error {
  constructor(
    message: string,
    readonly delayMs?: number,
  ) {
    super(message);
  }
}

/**
 * A file modified this recently that does not parse is taken as still being written (a producer writing in place
 * rather than moving a finished file in) and is tried again shortly; after that it is a real error. This replaces
 * a fixed wait before every file, which costs each file its latency.
 */
export const SETTLE_MS = 1000;
const SETTLE_RETRY_MS = 200;

export interface IngestOptions {
  createTable: boolean;
  updateTsdInfo: boolean;
  archiveJson: boolean;
  compressJson: boolean;
  /** SQL files: keep a copy in !bkup_dir after they ran (gzip with compressSql); otherwise they are deleted. */
  archiveSql?: boolean | undefined;
  compressSql?: boolean | undefined;
  /** `dbms.table` keys the operator takes; a file of another table goes to the error directory (130). */
  limitTables?: readonly string[] | undefined;
  /** HA: a file from a device goes to !distr_dir (for the cluster's distributor) instead of the archive. */
  distributor?: boolean | undefined;
  /** This node's member id in its cluster (`tsd_name`); '0' when it has none. */
  member: string;
}

export interface IngestDirs {
  archiveDir: string;
  errDir: string;
  bkupDir?: string | undefined;
  distrDir?: string | undefined;
}

export const ERR_TABLE_EXCLUDED = 130;
export const ERR_TABLE_MISSING = 28;

/** The statements of an SQL file, split at `;` outside quotes; `--` comments dropped. */
export function splitSqlStatements(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      current += ch;
      if (ch === quote) quote = undefined; // '' inside a literal closes and reopens: same result
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      current += ch;
    } else if (ch === '-' && text[i + 1] === '-') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === ';') {
      if (current.trim()) out.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

export interface IngestDeps {
  database(name: string): DbmsAdapter;
  now?: () => Date;
  /** How recently a file that does not parse may have changed and still be waited for (default SETTLE_MS). */
  settleMs?: number;
  /**
   * Claims a file hash while its file is ingested (several ingestion workers run at once): false when another
   * file with the same bytes is in flight, and this one waits. Released with `release`.
   */
  claim?(hash: string): Promise<boolean>;
  release?(hash: string): void;
  /**
   * Runs `fn` holding the operator's write turn on a database. Workers writing the same SQLite files would otherwise meet in
   * SQLite's busy handler, which sleeps in steps of up to 100 ms; a turn handed over by message costs microseconds.
   */
  exclusive?<T>(dbms: string, fn: () => Promise<T>): Promise<T>;
  /** The table's time partitions (`partition ...`), if declared. */
  partition?(dbms: string, table: string): PartitionRule | undefined;
}

/** Creates a partition with the parent's columns and indexes (their names carried over to the partition). */
async function createPartition(tx: Transaction, engine: DbmsAdapter['engine'], parent: string, partition: string): Promise<void> {
  if (engine === 'psql') {
    await tx.run(`create table if not exists ${ident(partition)} (like ${ident(parent)} including all)`);
    return;
  }
  const ddl = await tx.query("select type, name, sql from sqlite_master where tbl_name = ? and sql is not null order by type desc", [parent]);
  for (const [type, objectName, sql] of ddl.rows as [string, string, string][]) {
    if (type === 'table') {
      await tx.run(sql.replace(/^(\s*create\s+table\s+)("[^"]+"|\S+?)(\s*\()/i, `$1${ident(partition)}$3`));
    } else if (type === 'index') {
      const indexName = objectName.startsWith(parent) ? `${partition}${objectName.slice(parent.length)}` : `${partition}_${objectName}`;
      const on = new RegExp(`\\bon\\s+("${parent}"|${parent})\\s*\\(`, 'i');
      await tx.run(sql.replace(/^(\s*create\s+(?:unique\s+)?index\s+)("[^"]+"|\S+)/i, `$1${ident(indexName)}`).replace(on, `on ${ident(partition)}(`));
    }
  }
}

export type IngestOutcome =
  /** The rows are committed but archiving failed (disk full, permissions): the file stays to be retried. */
  | { status: 'retry'; reason: string; delayMs?: number | undefined }
  | {
      status: 'ingested';
      /** A JSON file, or an SQL file of INSERT statements. */
      kind: 'json' | 'sql';
      dbms: string;
      table: string;
      rows: number;
      hash: string;
      archivedAs?: string | undefined;
      resumed: boolean;
      /** The partitions the rows went to (partitioned tables). */
      partitions?: string[] | undefined;
      /** The generic DDL of the table this file created (the node publishes it as a `table` policy). */
      createdTable?: string | undefined;
    }
  | { status: 'failed'; kind?: 'json' | 'sql' | undefined; code: number; reason: string; errorFile: string; dbms?: string | undefined; table?: string | undefined };

/** The archive folder of a recording time: YY/MM/DD (UTC), as EdgeLake lays out !archive_dir. */
export function archiveFolder(archiveDir: string, at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return join(archiveDir, p(at.getUTCFullYear() % 100), p(at.getUTCMonth() + 1), p(at.getUTCDate()));
}

/** A tsd_info file_time (UTC `YYYY-MM-DD HH:MM:SS.ffffff`). */
function tsdTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace(/\.(\d{3})Z$/, '.$1000');
}

function parseTsdTime(text: string): Date {
  return new Date(`${text.replace(' ', 'T').slice(0, 23)}Z`);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export class Ingestor {
  constructor(
    private readonly deps: IngestDeps,
    private readonly dirs: IngestDirs,
    private readonly options: IngestOptions,
  ) {}

  private exclusive<T>(dbms: string, fn: () => Promise<T>): Promise<T> {
    return this.deps.exclusive ? this.deps.exclusive(dbms, fn) : fn();
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async process(path: string): Promise<IngestOutcome> {
    const name = basename(path);
    let file: FileName | undefined;
    let before: { size: number; mtimeMs: number } | undefined;
    try {
      before = await stat(path);
    } catch (err) {
      return { status: 'retry', reason: `${name}: ${(err as Error).message}` };
    }
    try {
      file = parseFileName(name);
      const limit = this.options.limitTables;
      if (limit && limit.length > 0 && !limit.includes(`${file.dbms}.${file.table}`)) {
        throw new CommandError(ERR_TABLE_EXCLUDED, `${name}: table ${file.dbms}.${file.table} is not in limit_tables (${limit.join(', ')})`);
      }
      if (file.type === 'sql') return await this.ingestSql(path, name, file);
      if (file.type !== 'json') throw new CommandError(119, `${name}: the operator takes .json and .sql files (and their .gz), not .${file.type}`);
      return await this.ingest(path, name, file);
    } catch (err) {
      if (err instanceof RetryLater) return { status: 'retry', reason: err.message, delayMs: err.delayMs };
      const code = err instanceof CommandError ? err.code : Status.PROCESS_FAILURE;
      if (code === ERR_ANALYZE_JSON && (await this.stillWritten(path, before))) {
        return { status: 'retry', reason: `${name}: still being written`, delayMs: SETTLE_RETRY_MS };
      }
      const reason = err instanceof CommandError ? (err.detail ?? err.message) : (err as Error).message;
      let errorFile: string;
      try {
        errorFile = await this.toErrorDir(path, name, code, reason);
      } catch (moveErr) {
        // The file could not be moved (it vanished, or the error directory is not writable): it stays where it is.
        return { status: 'retry', reason: `${reason}; and it could not be moved to the error directory: ${(moveErr as Error).message}` };
      }
      return { status: 'failed', kind: file?.type === 'sql' ? 'sql' : 'json', code, reason, errorFile, dbms: file?.dbms, table: file?.table };
    }
  }

  /**
   * An SQL file: its INSERT statements run in one transaction (all or none). Only inserts into the file's table
   * and its partitions are accepted: a file is data, never a way to drop or alter tables (EdgeLake runs whatever
   * the file holds). Like EdgeLake, SQL files are not tracked in tsd_info.
   */
  private async ingestSql(path: string, name: string, file: FileName): Promise<IngestOutcome> {
    const raw = await readFile(path);
    const content = file.compressed ? gunzipSync(raw) : raw;
    const statements = splitSqlStatements(content.toString('utf8'));
    if (statements.length === 0) throw new CommandError(Status.SQL_FAILURE, `${name}: the file holds no SQL statement`);
    statements.forEach((sql, i) => {
      const target = /^insert\s+into\s+(?:"([^"]+)"|([a-z0-9_]+))/i.exec(sql);
      const table = (target?.[1] ?? target?.[2] ?? '').toLowerCase();
      if (!target || (table !== file.table && !partitionsOf([table], file.table).length)) {
        throw new CommandError(Status.SQL_FAILURE, `${name}: statement ${i + 1} is not an INSERT into ${file.table} or its partitions: ${sql.slice(0, 80)}`);
      }
    });
    const db = this.deps.database(file.dbms);
    if ((await db.columns(file.table)).length === 0) throw new CommandError(ERR_TABLE_MISSING, `${name}: table '${file.table}' does not exist in dbms '${file.dbms}'`);
    const rows = await this.exclusive(file.dbms, () =>
      db.transaction(async (tx) => {
        let n = 0;
        for (const [i, sql] of statements.entries()) {
          try {
            n += await tx.run(sql);
          } catch (err) {
            throw new CommandError(Status.SQL_FAILURE, `${name}: statement ${i + 1}: ${(err as Error).message}`);
          }
        }
        return n;
      }),
    );
    let archivedAs: string | undefined;
    if (this.options.archiveSql && this.dirs.bkupDir) {
      await mkdir(this.dirs.bkupDir, { recursive: true });
      const gzip = this.options.compressSql !== false && !file.compressed;
      archivedAs = join(this.dirs.bkupDir, gzip ? `${name}.gz` : name);
      await writeFile(`${archivedAs}.tmp-${process.pid}`, gzip ? gzipSync(raw, { level: 1 }) : raw);
      await rename(`${archivedAs}.tmp-${process.pid}`, archivedAs);
    }
    await rm(path, { force: true });
    return { status: 'ingested', kind: 'sql', dbms: file.dbms, table: file.table, rows, hash: fileHash(file.dbms, file.table, content), archivedAs, resumed: false };
  }

  private async stillWritten(path: string, before: { size: number; mtimeMs: number }): Promise<boolean> {
    const now = await stat(path).catch(() => undefined);
    if (!now) return false;
    return now.size !== before.size || now.mtimeMs !== before.mtimeMs || Date.now() - now.mtimeMs < (this.deps.settleMs ?? SETTLE_MS);
  }

  private async ingest(path: string, name: string, file: FileName): Promise<IngestOutcome> {
    const raw = await readFile(path);
    const content = file.compressed ? gunzipSync(raw) : raw;
    const db = this.deps.database(file.dbms);
    const hash = file.hash !== '0' ? file.hash : fileHash(file.dbms, file.table, content);
    const rows = parseJsonRows(content.toString('utf8'));
    const at = this.now();
    // Two files with the same bytes never run at once: the second would take the first's reserved tsd_info row
    // for a crash to resume from and insert its rows a second time.
    if (this.deps.claim && !(await this.deps.claim(hash))) throw new RetryLater(`${name}: a file with the same content (hash ${hash}) is being ingested`, SETTLE_RETRY_MS);
    try {
      return await this.ingestRows(path, name, file, content, hash, rows, at, db);
    } finally {
      this.deps.release?.(hash);
    }
  }

  private async ingestRows(path: string, name: string, file: FileName, content: Buffer, hash: string, rows: ReturnType<typeof parseJsonRows>, at: Date, db: DbmsAdapter): Promise<IngestOutcome> {
    let tsd: { db: DbmsAdapter; id: number; recordedAt: Date; resumed: boolean } | undefined;
    if (this.options.updateTsdInfo) {
      const almgm = this.deps.database('almgm');
      if (!(await almgm.tables()).includes('tsd_info')) {
        throw new CommandError(Status.DBMS_NOT_OPENED, "Table 'tsd_info' in dbms 'almgm' does not exist (create table tsd_info where dbms = almgm)");
      }
      const known = await almgm.query('select file_id, file_time, source, instructions from tsd_info where file_hash = ?', [hash]);
      if (known.rows.length > 0) {
        const [id, time, source, instructions] = known.rows[0]! as [number, string | Date, string, string];
        const recordedAt = time instanceof Date ? time : parseTsdTime(time);
        // Where the recorded file was archived: named after the recorded row, not after this file's name.
        const recorded = { ...file, hash, source: String(source), instructions: String(instructions) };
        const archived = join(archiveFolder(this.dirs.archiveDir, recordedAt), this.archiveName(recorded, Number(id), recordedAt));
        if (await exists(archived)) throw new CommandError(ERR_DUPLICATE, `${name}: duplicate of a file already ingested (hash ${hash}, tsd_info id ${id})`);
        tsd = { db: almgm, id: Number(id), recordedAt, resumed: true };
      } else {
        const id = await this.exclusive('almgm', async () => {
          await almgm.run(
            'insert into tsd_info (dbms_name, table_name, source, file_hash, instructions, file_time, rows, status1, status2) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [file.dbms, file.table, file.source, hash, file.instructions, tsdTime(at), 0, '', ''],
          );
          return (await almgm.query('select file_id from tsd_info where file_hash = ?', [hash])).rows[0]![0];
        });
        tsd = { db: almgm, id: Number(id), recordedAt: at, resumed: false };
      }
    }

    let committed = false;
    try {
      let createdDdl: string | undefined;
      let columns = await db.columns(file.table);
      if (columns.length === 0) {
        if (!this.options.createTable) throw new CommandError(28, `${name}: table '${file.table}' does not exist in dbms '${file.dbms}' and create_table is off`);
        const created = await this.exclusive(file.dbms, () => this.createTable(db, file.table, rows));
        columns = created.columns;
        createdDdl = created.ddl;
      }
      const tsdName = tsd ? this.options.member : '0';
      const tsdId = tsd?.id ?? 0;
      const planner = rowPlanner(rows.length > 16 ? rows[0] : undefined, columns, name, { columns: ['insert_timestamp', 'tsd_name', 'tsd_id'], values: [insertTimestamp(at), tsdName, tsdId] }, at);
      let inserted = 0;
      // Partitioned: rows go to par_<table>_<date>_... by the partition column (a table without that column, matched
      // by a `dbms.*` declaration, is not partitioned: EdgeLake fails its files instead, error 27).
      const rule = this.deps.partition?.(file.dbms, file.table);
      const partitionColumn = rule ? planner.columns.indexOf(rule.column) : -1;
      const touched = new Set<string>();
      let alreadyIn = 0;
      if (tsd?.resumed) {
        for (const t of [file.table, ...partitionsOf(await db.tables(), file.table)]) {
          alreadyIn += Number((await db.query(`select count(*) from ${ident(t)} where tsd_name = ? and tsd_id = ?`, [tsdName, tsdId])).rows[0]![0]);
        }
      }
      if (alreadyIn > 0) {
        inserted = alreadyIn; // step 2 committed before a crash: do not insert twice
      } else {
        // The first chunk is planned before the write turn (a type error fails the file without waiting for it);
        // the rest are planned inside, one chunk at a time, so a large file never holds two copies of its rows.
        const firstChunk = planner.plan(rows, 0, Math.min(rows.length, PLAN_CHUNK));
        inserted = await this.exclusive(file.dbms, () =>
          db.transaction(async (tx) => {
            const existing = new Set(partitionColumn >= 0 ? await db.tables() : []);
            const insert = async (chunk: unknown[][], from: number): Promise<number> => {
              if (partitionColumn < 0) return tx.insertMany(file.table, planner.columns, chunk);
              const groups = new Map<string, unknown[][]>();
              chunk.forEach((values, i) => {
                const date = values[partitionColumn];
                const target = typeof date === 'string' ? partitionName(file.table, rule!, date) : undefined;
                if (!target) {
                  throw new CommandError(Status.WRONG_JSON, `${name}: row ${from + i + 1}: partition column '${rule!.column}' holds ${JSON.stringify(date)}, not a date by ${rule!.unit}`);
                }
                const group = groups.get(target);
                if (group) group.push(values);
                else groups.set(target, [values]);
              });
              let n = 0;
              for (const [target, values] of groups) {
                if (!existing.has(target)) {
                  await createPartition(tx, db.engine, file.table, target);
                  existing.add(target);
                }
                n += await tx.insertMany(target, planner.columns, values);
                touched.add(target);
              }
              return n;
            };
            let n = await insert(firstChunk, 0);
            for (let from = PLAN_CHUNK; from < rows.length; from += PLAN_CHUNK) {
              n += await insert(planner.plan(rows, from, Math.min(rows.length, from + PLAN_CHUNK)), from);
            }
            return n;
          }),
        );
      }
      committed = true;
      if (tsd) await this.exclusive('almgm', () => tsd.db.run('update tsd_info set rows = ? where file_id = ?', [inserted, tsd.id]));
      const archivedAs = await this.archive(content, { ...file, hash }, tsd?.id, tsd?.recordedAt ?? at);
      await rm(path, { force: true });
      return { status: 'ingested', kind: 'json', dbms: file.dbms, table: file.table, rows: inserted, hash, archivedAs, resumed: tsd?.resumed ?? false, partitions: touched.size > 0 ? [...touched].sort() : undefined, createdTable: createdDdl };
    } catch (err) {
      // After the rows are committed the file must not go to the error directory (its data is in the table):
      // it stays in the watch directory and the next attempt finishes the work.
      if (committed) throw new RetryLater(`${name}: rows committed, finishing failed: ${(err as Error).message}`);
      // A file that fails leaves no tsd_info row, so a corrected file with the same bytes is not a "duplicate"
      // (EdgeLake keeps a rows = 0 row and then refuses the re-drop).
      if (tsd && !tsd.resumed) await tsd.db.run('delete from tsd_info where file_id = ?', [tsd.id]).catch(() => undefined);
      throw err;
    }
  }

  /** Creates the table from the file's rows, unless another worker created it meanwhile; returns its columns. */
  private async createTable(db: DbmsAdapter, table: string, rows: Parameters<typeof inferColumns>[0]): Promise<{ columns: Awaited<ReturnType<DbmsAdapter['columns']>>; ddl: string | undefined }> {
    const columns = inferColumns(rows);
    if (columns.length === 0) throw new CommandError(67, `no column can be derived for table '${table}' (only objects or nulls)`);
    const generic = genericDdl(table, columns, this.options.updateTsdInfo);
    const statements = ddlStatements(db.engine, generic);
    let created = false;
    try {
      // SQLite's transaction takes the write lock first, so the check and the creation are one step.
      await db.transaction(async (tx) => {
        const exists = await tx.query(db.engine === 'sqlite' ? "select 1 from sqlite_master where type = 'table' and name = ?" : "select 1 from information_schema.tables where table_schema = 'public' and table_name = ?", [table]);
        if (exists.rows.length > 0) return;
        for (const s of statements) await tx.run(s);
        created = true;
      });
    } catch (err) {
      // PostgreSQL: a concurrent creation of the same table fails one of the two; the table is there all the same.
      if ((await db.columns(table)).length === 0) throw err;
    }
    return { columns: await db.columns(table), ddl: created ? generic : undefined };
  }

  private archiveName(file: FileName, tsdId: number | undefined, at: Date): string {
    const base = tsdId !== undefined ? recordedName(file, this.options.member, tsdId, at) : `${[file.dbms, file.table, file.source, file.hash, file.instructions].join('.')}.json`;
    return this.options.compressJson ? `${base}.gz` : base;
  }

  private async archive(content: Buffer, file: FileName, tsdId: number | undefined, at: Date): Promise<string | undefined> {
    // With the distributor, a file from a device (no member in its name) goes to !distr_dir for the cluster's
    // other members; files that came from a member are archived (EdgeLake's rule).
    const toDistributor = this.options.distributor === true && file.member === undefined && this.dirs.distrDir !== undefined;
    if (!this.options.archiveJson && !toDistributor) return undefined;
    const folder = toDistributor ? this.dirs.distrDir! : archiveFolder(this.dirs.archiveDir, at);
    await mkdir(folder, { recursive: true });
    const target = join(folder, this.archiveName(file, tsdId, at));
    const tmp = `${target}.tmp-${process.pid}`;
    // Level 1: a quarter larger than the default level at half its CPU, which an edge node needs for ingestion.
    await writeFile(tmp, this.options.compressJson ? gzipSync(content, { level: 1 }) : content);
    await rename(tmp, target);
    return target;
  }

  /** Moves a failed file to the error directory, its reason beside it (`<name>.err.json`). Never loses the file. */
  private async toErrorDir(path: string, name: string, code: number, reason: string): Promise<string> {
    await mkdir(this.dirs.errDir, { recursive: true });
    let target = join(this.dirs.errDir, name);
    if (await exists(target)) target = join(this.dirs.errDir, `${name}.${Date.now()}`);
    await rename(path, target);
    const detail = { file: basename(target), source: name, code, error: statusText(code), reason, time: new Date().toISOString() };
    await writeFile(`${target}.err.json`, JSON.stringify(detail, null, 2));
    return target;
  }
}
