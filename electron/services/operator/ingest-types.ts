// The file operator's shapes, shared by its steps (ingest.ts, json-file.ts, sql-file.ts), the ingestion workers
// and the service: options, directories, dependencies and the outcome of one file.
import type { DbmsAdapter } from '../dbms/adapter.js';
import type { PartitionRule } from '../dbms/partitions.js';
import type { IngestCore, IngestCoreOptions, RowsWritten } from './ingest-core.js';

export interface IngestOptions extends IngestCoreOptions {
  archiveJson: boolean;
  compressJson: boolean;
  /** SQL files: keep a copy in !bkup_dir after they ran (gzip with compressSql); otherwise they are deleted. */
  archiveSql?: boolean | undefined;
  compressSql?: boolean | undefined;
  /** `dbms.table` keys the operator takes; a file of another table goes to the error directory (130). */
  limitTables?: readonly string[] | undefined;
  /** `file_type = json` (or sql): the types the operator takes; a file of another type goes to the error directory. */
  fileTypes?: readonly string[] | undefined;
  /** HA: a file from a device goes to !distr_dir (for the cluster's distributor) instead of the archive. */
  distributor?: boolean | undefined;
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
  /** See IngestCoreDeps.exclusive: the operator's write turn on a database. */
  exclusive?<T>(dbms: string, fn: () => Promise<T>): Promise<T>;
  /** The table's time partitions (`partition ...`), if declared. */
  partition?(dbms: string, table: string): PartitionRule | undefined;
  /** Every write of rows the core committed (the operator's counters, table policies). */
  onWritten?(written: RowsWritten): void;
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

/** Not now: the file stays in the watch directory and is tried again (see IngestOutcome 'retry'). */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly delayMs?: number,
    /** Waiting (for another file with the same bytes, for a writer): not a failed attempt. */
    readonly wait = false,
  ) {
    super(message);
  }
}

/** Delay before a file that changed while it was read, or whose bytes are in flight, is looked at again. */
export const SETTLE_RETRY_MS = 200;

/** A file being read: where its bytes are and its size and mtime when it was found complete. */
export interface Taken {
  readPath: string;
  size: number;
  mtimeMs: number;
}

/** What a file step works with. */
export interface FileStepContext {
  deps: IngestDeps;
  dirs: IngestDirs;
  options: IngestOptions;
  core: IngestCore;
  maxFileSize: number;
  now(): Date;
  exclusive<T>(dbms: string, fn: () => Promise<T>): Promise<T>;
}
