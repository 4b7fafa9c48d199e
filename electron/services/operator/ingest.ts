// Ingesting one watch-directory file: name -> rows -> table (created when new) -> tsd_info -> archive, or the
// error directory with the reason beside the file. Nothing is half-done:
//   1. with update_tsd_info, a tsd_info row is committed first (rows = 0): it reserves the file's id;
//   2. the data rows are inserted in one transaction, each carrying tsd_name/tsd_id = member/file id;
//   3. tsd_info.rows is set; 4. the file is archived (written to a temporary name, then renamed); 5. the
//   source is removed from the watch directory. A crash anywhere leaves the file in the watch directory, and the
//   next attempt resumes from what the database says: data rows with this file's tsd_id mean step 2 committed,
//   so they are not inserted twice. A file whose hash is recorded AND archived is a duplicate (error 86) — unless it
//   is the very file that was archived (a kill between steps 4 and 5: the archive carries its name and mtime), which
//   is completed by removing it.
// Before any of this the entry is inspected (watch-entry.ts): only a complete regular file within max_file_size is
// read, and its archive name must fit in a file name, so no row is committed for a file that cannot be archived.
import { lstat, mkdir, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CommandError, Status } from '../core/status.js';
import { ident, type DbmsAdapter, type Transaction } from '../dbms/adapter.js';
import { partitionName, partitionsOf, type PartitionRule } from '../dbms/partitions.js';
import { gzipName, gzipNamed } from './archive-file.js';
import { moveToErrorDir } from './error-dir.js';
import { readContent } from './file-content.js';
import { fileHash, MAX_NAME_BYTES, nameBytes, parseFileName, recordedName, TMP_SUFFIX_BYTES, type FileName } from './file-name.js';
import { parseJsonRows } from './json-rows.js';
import { insertTimestamp, rowPlanner } from './rows.js';
import { ddlStatements } from '../dbms/ddl.js';
import { genericDdl, inferColumns } from './schema.js';
import { changedSince, inspectEntry, MAX_FILE_SIZE, SETTLE_MS } from './watch-entry.js';

/** Rows planned and inserted at a time (a 5,000-row file is one chunk). */
const PLAN_CHUNK = 10_000;

class RetryLater extends Error {
  constructor(
    message: string,
    readonly delayMs?: number,
    /** Waiting (for another file with the same bytes, for a writer): not a failed attempt. */
    readonly wait = false,
  ) {
    super(message);
  }
}

export { SETTLE_MS };
const SETTLE_RETRY_MS = 200;
/** Digits of a tsd_info id assumed when an archive name is checked before the id exists. */
const TSD_ID_DIGITS = 10;

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
  /** Largest file, and largest decompressed content of a `.gz`, read (bytes; default MAX_FILE_SIZE). */
  maxFileSize?: number | undefined;
}

export interface IngestDirs {
  /** Links may point inside it only (default: the file's folder). */
  watchDir?: string | undefined;
  archiveDir: string;
  errDir: string;
  bkupDir?: string | undefined;
  distrDir?: string | undefined;
}


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
  /** How long a file written in place must be unchanged before it is read (default SETTLE_MS). */
  settleMs?: number | undefined;
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
  /**
   * Not done yet: the rows are committed but archiving failed (disk full, permissions), or the file could not be
   * moved; it stays and is tried again (a bounded number of times, service.ts). With `wait` it is not a failed
   * attempt: the file is still being written, or a file with the same bytes is being ingested.
   */
  | { status: 'retry'; reason: string; delayMs?: number | undefined; wait?: boolean | undefined }
  /** The entry disappeared before it was taken (removed or renamed by someone else): nothing to account for. */
  | { status: 'gone' }
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

/** The modification time of `path`, or undefined when there is none. */
async function mtimeOf(path: string): Promise<number | undefined> {
  return lstat(path).then(
    (s) => s.mtimeMs,
    () => undefined,
  );
}

/** A file being read: where its bytes are and its size and mtime when it was found complete. */
interface Taken {
  readPath: string;
  size: number;
  mtimeMs: number;
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

  private get maxFileSize(): number {
    return this.options.maxFileSize ?? MAX_FILE_SIZE;
  }

  async process(path: string): Promise<IngestOutcome> {
    const name = basename(path);
    let file: FileName | undefined;
    try {
      const entry = await inspectEntry(path, name, { settleMs: this.deps.settleMs ?? SETTLE_MS, maxFileSize: this.maxFileSize, watchDir: this.dirs.watchDir });
      if (entry.status === 'gone') return entry;
      if (entry.status === 'wait') return { status: 'retry', reason: entry.reason, delayMs: entry.delayMs, wait: true };
      if (entry.status === 'refuse') throw new CommandError(entry.code, entry.reason);
      file = parseFileName(name);
      const limit = this.options.limitTables;
      if (limit && limit.length > 0 && !limit.includes(`${file.dbms}.${file.table}`)) {
        throw new CommandError(Status.TABLE_EXCLUDED, `${name}: table ${file.dbms}.${file.table} is not in limit_tables (${limit.join(', ')}); add it to limit_tables, or send the file to the node that takes that table`);
      }
      if (file.type === 'sql') return await this.ingestSql(path, name, file, entry);
      if (file.type !== 'json') throw new CommandError(Status.FILE_NAME_STRUCT, `${name}: '.${file.type}' is not a type the operator takes (.json or .sql, optionally gzipped as .json.gz or .sql.gz); rename it dbms.table.json (or .sql)`);
      return await this.ingest(path, name, file, entry);
    } catch (err) {
      if (err instanceof RetryLater) return { status: 'retry', reason: err.message, delayMs: err.delayMs, wait: err.wait };
      const code = err instanceof CommandError ? err.code : Status.PROCESS_FAILURE;
      const reason = err instanceof CommandError ? (err.detail ?? err.message) : (err as Error).message;
      return this.fail(path, code, reason, file);
    }
  }

  /** Moves the file to the error directory with its reason (also when the operator gives up retrying it). */
  async fail(path: string, code: number, reason: string, file?: FileName): Promise<IngestOutcome> {
    const name = basename(path);
    let errorFile: string;
    try {
      errorFile = await moveToErrorDir(this.dirs.errDir, path, name, code, reason);
    } catch (moveErr) {
      if ((moveErr as NodeJS.ErrnoException).code === 'ENOENT' && (await mtimeOf(path)) === undefined) return { status: 'gone' };
      // The file could not be moved (the error directory is not writable): it stays where it is.
      return { status: 'retry', reason: `${reason}; and it could not be moved to the error directory: ${(moveErr as Error).message}` };
    }
    if (!file) {
      try {
        file = parseFileName(name);
      } catch {
        file = undefined;
      }
    }
    return { status: 'failed', kind: file?.type === 'sql' ? 'sql' : 'json', code, reason, errorFile, dbms: file?.dbms, table: file?.table };
  }

  /**
   * Refuses, before anything is committed, a file whose archive (or backup) name would not fit in a file name: its
   * rows could be stored but the file could not be archived, and it would stay in the watch directory.
   */
  private checkArchiveName(name: string, file: FileName): void {
    const archiving = file.type === 'sql' ? this.options.archiveSql === true && this.dirs.bkupDir !== undefined : this.options.archiveJson || this.options.distributor === true;
    if (!archiving) return;
    const longest =
      file.type === 'sql'
        ? `${name}${this.options.compressSql !== false && !file.compressed ? '.gz' : ''}`
        : this.archiveName({ ...file, hash: 'f'.repeat(32) }, this.options.updateTsdInfo ? 10 ** TSD_ID_DIGITS - 1 : undefined, new Date());
    const bytes = nameBytes(longest) + TMP_SUFFIX_BYTES;
    if (bytes > MAX_NAME_BYTES) {
      throw new CommandError(
        Status.FILE_NAME_STRUCT,
        `${name}: its archive name (${file.type === 'sql' ? 'the name with .gz' : 'dbms.table.source.hash.instructions.member.rowid.date.json.gz'}) would take up to ${bytes} bytes while it is written, over the ${MAX_NAME_BYTES}-byte limit of a file name; shorten the table name (${file.table.length} characters) or the source (${nameBytes(file.source)} bytes), then drop the file again`,
      );
    }
  }

  /**
   * An SQL file: its INSERT statements run in one transaction (all or none). Only inserts into the file's table
   * and its partitions are accepted: a file is data, never a way to drop or alter tables (EdgeLake runs whatever
   * the file holds). Like EdgeLake, SQL files are not tracked in tsd_info.
   */
  private async ingestSql(path: string, name: string, file: FileName, taken: Taken): Promise<IngestOutcome> {
    this.checkArchiveName(name, file);
    const { raw, content } = await readContent(taken.readPath, name, file.compressed, this.maxFileSize);
    if (await changedSince(taken.readPath, taken)) throw new RetryLater(`${name}: changed while it was read (still being written)`, SETTLE_RETRY_MS, true);
    const statements = splitSqlStatements(content.toString('utf8'));
    if (statements.length === 0) throw new CommandError(Status.SQL_FAILURE, `${name}: the file holds no SQL statement; an SQL file holds INSERT statements into its table, each ending with ';'`);
    statements.forEach((sql, i) => {
      const target = /^insert\s+into\s+(?:"([^"]+)"|([a-z0-9_]+))/i.exec(sql);
      const table = (target?.[1] ?? target?.[2] ?? '').toLowerCase();
      if (!target || (table !== file.table && !partitionsOf([table], file.table).length)) {
        throw new CommandError(Status.SQL_FAILURE, `${name}: statement ${i + 1} is not an INSERT into ${file.table} or its partitions: ${sql.slice(0, 80)}`);
      }
    });
    const db = this.deps.database(file.dbms);
    if ((await db.columns(file.table)).length === 0) throw new CommandError(Status.TABLE_NAME, `${name}: table '${file.table}' does not exist in dbms '${file.dbms}'`);
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

  private async ingest(path: string, name: string, file: FileName, taken: Taken): Promise<IngestOutcome> {
    this.checkArchiveName(name, file);
    const { content } = await readContent(taken.readPath, name, file.compressed, this.maxFileSize);
    // A writer that went on after the file was found complete: what was read may be a prefix of its rows.
    if (await changedSince(taken.readPath, taken)) throw new RetryLater(`${name}: changed while it was read (still being written)`, SETTLE_RETRY_MS, true);
    const db = this.deps.database(file.dbms);
    const hash = file.hash !== '0' ? file.hash : fileHash(file.dbms, file.table, content);
    let rows: ReturnType<typeof parseJsonRows>;
    try {
      rows = parseJsonRows(content.toString('utf8'));
    } catch (err) {
      if (!(err instanceof CommandError) || err.code !== Status.ANALYZE_JSON) throw err;
      throw new CommandError(Status.ANALYZE_JSON, `${name}${file.compressed ? ' (decompressed)' : ''}: ${err.detail ?? err.message}; the operator takes one JSON object per line, or one JSON object or array — fix the file and drop it again`);
    }
    const at = this.now();
    // Two files with the same bytes never run at once: the second would take the first's reserved tsd_info row
    // for a crash to resume from and insert its rows a second time.
    if (this.deps.claim && !(await this.deps.claim(hash))) throw new RetryLater(`${name}: a file with the same content (hash ${hash}) is being ingested`, SETTLE_RETRY_MS, true);
    try {
      return await this.ingestRows(path, name, file, content, hash, rows, at, db, taken.mtimeMs);
    } finally {
      this.deps.release?.(hash);
    }
  }

  private async ingestRows(path: string, name: string, file: FileName, content: Buffer, hash: string, rows: ReturnType<typeof parseJsonRows>, at: Date, db: DbmsAdapter, mtimeMs: number): Promise<IngestOutcome> {
    let tsd: { db: DbmsAdapter; id: number; recordedAt: Date; resumed: boolean } | undefined;
    if (this.options.updateTsdInfo) {
      const almgm = this.deps.database('almgm');
      if (!(await almgm.tables()).includes('tsd_info')) {
        throw new CommandError(Status.DBMS_NOT_OPENED, "Table 'tsd_info' in dbms 'almgm' does not exist (create table tsd_info where dbms = almgm)");
      }
      const known = await almgm.query('select file_id, file_time, source, instructions, rows from tsd_info where file_hash = ?', [hash]);
      if (known.rows.length > 0) {
        const [id, time, source, instructions, recordedRows] = known.rows[0]! as [number, string | Date, string, string, number];
        const recordedAt = time instanceof Date ? time : parseTsdTime(time);
        // Where the recorded file was archived: named after the recorded row, not after this file's name.
        const recorded = { ...file, hash, source: String(source), instructions: String(instructions) };
        const archived = join(archiveFolder(this.dirs.archiveDir, recordedAt), this.archiveName(recorded, Number(id), recordedAt));
        const archivedMtime = await mtimeOf(archived);
        if (archivedMtime !== undefined) {
          // The archive keeps its source's name and mtime (archive-file.ts): the same name and mtime is the file
          // that was archived when a kill came before its removal, so it is finished, not reported as a duplicate
          // of itself. (An uncompressed archive carries no name: the recorded source and instructions stand in.)
          const sameName = archived.endsWith('.gz') ? (await gzipName(archived)) === name : recorded.source === file.source && recorded.instructions === file.instructions;
          if (sameName && Math.abs(archivedMtime - mtimeMs) < 1) {
            await rm(path, { force: true });
            return { status: 'ingested', kind: 'json', dbms: file.dbms, table: file.table, rows: Number(recordedRows), hash, archivedAs: archived, resumed: true };
          }
          throw new CommandError(Status.DUPLICATE_JSON_FILE, `${name}: duplicate of a file already ingested (hash ${hash}, tsd_info id ${id}, archived as ${basename(archived)}); its rows are stored once — nothing to do, or change the content to send new rows`);
        }
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
        if (!this.options.createTable) throw new CommandError(Status.TABLE_NAME, `${name}: table '${file.table}' does not exist in dbms '${file.dbms}' and create_table is off`);
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
      const archivedAs = await this.archive(content, { ...file, hash }, tsd?.id, tsd?.recordedAt ?? at, { name, mtimeMs });
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
    if (columns.length === 0) throw new CommandError(Status.ANALYZE_JSON, `no column can be derived for table '${table}' (only objects or nulls)`);
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

  private async archive(content: Buffer, file: FileName, tsdId: number | undefined, at: Date, source: { name: string; mtimeMs: number }): Promise<string | undefined> {
    const { name: sourceName, mtimeMs } = source;
    // With the distributor, a file from a device (no member in its name) goes to !distr_dir for the cluster's
    // other members; files that came from a member are archived (EdgeLake's rule).
    const toDistributor = this.options.distributor === true && file.member === undefined && this.dirs.distrDir !== undefined;
    if (!this.options.archiveJson && !toDistributor) return undefined;
    const folder = toDistributor ? this.dirs.distrDir! : archiveFolder(this.dirs.archiveDir, at);
    await mkdir(folder, { recursive: true });
    const target = join(folder, this.archiveName(file, tsdId, at));
    const tmp = `${target}.tmp-${process.pid}`;
    await writeFile(tmp, this.options.compressJson ? gzipNamed(content, sourceName) : content);
    // The source's mtime (and, in gzip, its name) mark the archive as this file's (the known-hash case of ingestRows).
    await utimes(tmp, new Date(), mtimeMs / 1000);
    await rename(tmp, target);
    return target;
  }
}
