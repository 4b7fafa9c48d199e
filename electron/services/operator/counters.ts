// The operator's counters behind `get operator` and the console's per-second series, fed from two places:
//   - written(): every write the ingest core committed (a file's rows, or rows of a stream). Rows of a file are
//     batch inserts; rows of any other origin are immediate inserts, as EdgeLake counts streaming data.
//   - file(): every file the operator finished (JSON or SQL), or failed.
// EdgeLake turns each JSON file into SQL per partition, so its SQL section counts per table.partition (or table).
import { statusText } from '../core/status.js';
import type { RowsWritten } from './ingest-core.js';
import type { IngestOutcome } from './ingest-types.js';

export interface TableStats {
  /** JSON files of the table, and writes of streamed rows (the JSON section's Files and Immediate). */
  files: number;
  immediate: number;
  /** Rows from files, rows from streams (the INSERTS section). */
  batchRows: number;
  immediateRows: number;
  first: number;
  last: number;
  dbmsMs: number;
}

export interface SqlStats {
  files: number;
  immediate: number;
  last: number;
}

export interface ErrorStats {
  count: number;
  last?: { time: number; dbms: string; table: string; code: number; text: string } | undefined;
}

/** One second of work: files finished, rows written, files failed. */
export interface Bucket {
  files: number;
  rows: number;
  errors: number;
}

export class OperatorCounters {
  /** Per dbms.table. */
  readonly tables = new Map<string, TableStats>();
  /** Per dbms.table or dbms.table.partition (the SQL section). */
  readonly sql = new Map<string, SqlStats>();
  readonly errors: Record<'json' | 'sql', ErrorStats> = { json: { count: 0 }, sql: { count: 0 } };
  processingMs = 0;
  totalRows = 0;
  /** Where `get operator summary` was read last ("new" counts are since then). */
  summaryMark: { at: number; rows: number; errors: number };
  private bucket: Bucket = { files: 0, rows: 0, errors: 0 };

  constructor(now = Date.now()) {
    this.summaryMark = { at: now, rows: 0, errors: 0 };
  }

  get totalErrors(): number {
    return this.errors.json.count + this.errors.sql.count;
  }

  private table(key: string, now: number): TableStats {
    let s = this.tables.get(key);
    if (!s) this.tables.set(key, (s = { files: 0, immediate: 0, batchRows: 0, immediateRows: 0, first: now, last: now, dbmsMs: 0 }));
    return s;
  }

  private sqlSection(keys: readonly string[], immediate: boolean, now: number): void {
    for (const key of keys) {
      let q = this.sql.get(key);
      if (!q) this.sql.set(key, (q = { files: 0, immediate: 0, last: now }));
      if (immediate) q.immediate++;
      else q.files++;
      q.last = now;
    }
  }

  private rows(s: TableStats, rows: number, immediate: boolean): void {
    if (immediate) s.immediateRows += rows;
    else s.batchRows += rows;
    this.bucket.rows += rows;
    this.totalRows += rows;
  }

  /** A write the ingest core committed. */
  written(w: RowsWritten, now = Date.now()): void {
    const key = `${w.dbms}.${w.table}`;
    const immediate = w.origin !== 'file';
    const s = this.table(key, now);
    this.rows(s, w.rows, immediate);
    if (immediate) {
      s.immediate++;
      this.processingMs += w.ms; // no file: the write is all the processing
    }
    s.last = now;
    s.dbmsMs += w.ms;
    const prefix = `par_${w.table}_`;
    this.sqlSection(w.partitions ? w.partitions.map((p) => `${key}.${p.slice(prefix.length)}`) : [key], immediate, now);
  }

  /** A file the operator finished with (`ms`: its processing time). JSON rows are counted by written(). */
  file(outcome: IngestOutcome, ms: number, now = Date.now()): void {
    this.processingMs += ms;
    if (outcome.status === 'ingested') {
      this.bucket.files++;
      const key = `${outcome.dbms}.${outcome.table}`;
      const s = this.table(key, now);
      s.last = now;
      if (outcome.kind === 'json') {
        s.files++;
        return;
      }
      // SQL files are statements, not rows: they do not pass through the core.
      this.rows(s, outcome.rows, false);
      s.dbmsMs += ms;
      this.sqlSection([key], false, now);
    } else if (outcome.status === 'failed') {
      this.bucket.errors++;
      const e = this.errors[outcome.kind ?? 'json'];
      e.count++;
      e.last = { time: now, dbms: outcome.dbms ?? '', table: outcome.table ?? '', code: outcome.code, text: statusText(outcome.code) };
    }
  }

  /** The counts of the second that ends now (and a new second begins). */
  takeBucket(): Bucket {
    const bucket = this.bucket;
    this.bucket = { files: 0, rows: 0, errors: 0 };
    return bucket;
  }
}
