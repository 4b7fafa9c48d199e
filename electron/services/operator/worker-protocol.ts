// Messages between the operator and its ingestion workers (structured clone, no functions).
import type { ConnectionSpec } from '../dbms/adapter.js';
import type { PartitionRule } from '../dbms/partitions.js';
import type { RowsWritten } from './ingest-core.js';
import type { IngestDirs, IngestOptions, IngestOutcome } from './ingest-types.js';

export interface WorkerSetup {
  dirs: IngestDirs;
  options: IngestOptions;
  settleMs?: number | undefined;
}

export type ToWorker =
  | { type: 'job'; id: number; path: string; specs: Record<string, ConnectionSpec>; partition?: PartitionRule | undefined }
  | { type: 'claimed'; claim: number; ok: boolean }
  | { type: 'turn'; turn: number }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  /** Rows the worker's ingest core committed (sent before the file's `done`). */
  | { type: 'written'; written: RowsWritten }
  | { type: 'done'; id: number; outcome: IngestOutcome; ms: number }
  | { type: 'claim'; claim: number; hash: string }
  | { type: 'release'; hash: string }
  | { type: 'take-turn'; turn: number; dbms: string }
  | { type: 'end-turn'; turn: number };
