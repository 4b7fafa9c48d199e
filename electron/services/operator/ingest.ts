// Ingesting one watch-directory file: the file steps on top of the ingest core (ingest-core.ts). The entry is
// inspected (watch-entry.ts: only a complete regular file within max_file_size is read), its name parsed and checked
// against limit_tables, its archive name checked to fit in a file name (so no row is committed for a file that
// cannot be archived), then a JSON file (json-file.ts: rows -> core -> archive) or an SQL file (sql-file.ts) is
// ingested, or the file goes to the error directory with the reason beside it. Nothing is half-done: a crash
// anywhere leaves the file in the watch directory, and the next attempt resumes from what the database says.
import { basename } from 'node:path';
import { CommandError, Status } from '../core/status.js';
import { archiveName } from './archive-file.js';
import { moveToErrorDir } from './error-dir.js';
import { MAX_NAME_BYTES, nameBytes, parseFileName, TMP_SUFFIX_BYTES, type FileName } from './file-name.js';
import { IngestCore } from './ingest-core.js';
import { RetryLater, type FileStepContext, type IngestDeps, type IngestDirs, type IngestOptions, type IngestOutcome } from './ingest-types.js';
import { ingestJsonFile, mtimeOf } from './json-file.js';
import { ingestSqlFile } from './sql-file.js';
import { inspectEntry, MAX_FILE_SIZE, SETTLE_MS } from './watch-entry.js';

export { SETTLE_MS };
export type { IngestDeps, IngestDirs, IngestOptions, IngestOutcome } from './ingest-types.js';
/** Digits of a tsd_info id assumed when an archive name is checked before the id exists. */
const TSD_ID_DIGITS = 10;

export class Ingestor {
  private readonly ctx: FileStepContext;

  constructor(
    private readonly deps: IngestDeps,
    private readonly dirs: IngestDirs,
    private readonly options: IngestOptions,
  ) {
    const core = new IngestCore(deps, options);
    this.ctx = {
      deps,
      dirs,
      options,
      core,
      maxFileSize: options.maxFileSize ?? MAX_FILE_SIZE,
      now: () => deps.now?.() ?? new Date(),
      exclusive: (dbms, fn) => (deps.exclusive ? deps.exclusive(dbms, fn) : fn()),
    };
  }

  async process(path: string): Promise<IngestOutcome> {
    const name = basename(path);
    let file: FileName | undefined;
    try {
      const entry = await inspectEntry(path, name, { settleMs: this.deps.settleMs ?? SETTLE_MS, maxFileSize: this.ctx.maxFileSize, watchDir: this.dirs.watchDir });
      if (entry.status === 'gone') return entry;
      if (entry.status === 'wait') return { status: 'retry', reason: entry.reason, delayMs: entry.delayMs, wait: true };
      if (entry.status === 'refuse') throw new CommandError(entry.code, entry.reason);
      file = parseFileName(name);
      const limit = this.options.limitTables;
      if (limit && limit.length > 0 && !limit.includes(`${file.dbms}.${file.table}`)) {
        throw new CommandError(Status.TABLE_EXCLUDED, `${name}: table ${file.dbms}.${file.table} is not in limit_tables (${limit.join(', ')}); add it to limit_tables, or send the file to the node that takes that table`);
      }
      const types = this.options.fileTypes;
      if (types && types.length > 0 && (file.type === 'sql' || file.type === 'json') && !types.includes(file.type)) {
        // EdgeLake leaves such files in the watch directory; here every entry ends somewhere with a reason.
        throw new CommandError(Status.WRONG_FILE_TYPE, `${name}: '.${file.type}' files are not taken by this operator (file_type = ${types.join(', ')}); add ${file.type} to file_type, or send the file to a node that takes it`);
      }
      if (file.type !== 'sql' && file.type !== 'json') throw new CommandError(Status.FILE_NAME_STRUCT, `${name}: '.${file.type}' is not a type the operator takes (.json or .sql, optionally gzipped as .json.gz or .sql.gz); rename it dbms.table.json (or .sql)`);
      this.checkArchiveName(name, file);
      if (file.type === 'sql') return await ingestSqlFile(this.ctx, path, name, file, entry);
      return await ingestJsonFile(this.ctx, path, name, file, entry);
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
        : archiveName({ ...file, hash: 'f'.repeat(32) }, this.options.updateTsdInfo ? 10 ** TSD_ID_DIGITS - 1 : undefined, new Date(), this.options);
    const bytes = nameBytes(longest) + TMP_SUFFIX_BYTES;
    if (bytes > MAX_NAME_BYTES) {
      throw new CommandError(
        Status.FILE_NAME_STRUCT,
        `${name}: its archive name (${file.type === 'sql' ? 'the name with .gz' : 'dbms.table.source.hash.instructions.member.rowid.date.json.gz'}) would take up to ${bytes} bytes while it is written, over the ${MAX_NAME_BYTES}-byte limit of a file name; shorten the table name (${file.table.length} characters) or the source (${nameBytes(file.source)} bytes), then drop the file again`,
      );
    }
  }
}
