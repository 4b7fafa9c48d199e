// The operator service: watches !watch_dir, ingests each file (ingest.ts) one after the other, keeps EdgeLake's
// counters for `get operator`, and registers as 'Operator' in the process registry. Files already in the
// directory when it starts (left by a crash or dropped while stopped) are processed first.
import { watch, type FSWatcher } from 'chokidar';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { formatTable } from '../command/format/table.js';
import type { CommandResult, CommandSpec, DictionaryApi } from '../command/types.js';
import type { ProcessRegistry } from '../core/processes.js';
import { CommandError, Status, statusText } from '../core/status.js';
import type { ConnectionSpec, DbmsAdapter } from '../dbms/adapter.js';
import type { PartitionRule } from '../dbms/partitions.js';
import { policiesById, readLedger } from '../ledger/ledger-file.js';
import { parseFileName } from './file-name.js';
import { Ingestor, type IngestOutcome } from './ingest.js';
import { WriteTurns } from './turns.js';
import { IngestWorkers, type JobResult } from './worker-pool.js';
import { operatorConfig, RUN_OPERATOR_OPTIONS, type OperatorConfig } from './options.js';
import type { OperatorSample } from '../../../shared/types.js';

export interface OperatorDeps {
  dictionary: DictionaryApi;
  processes: ProcessRegistry;
  database(name: string): DbmsAdapter;
  /** `name@ip:port` for the summary table. */
  nodeName(): string;
  /** Every file outcome, for the console's live views. */
  onOutcome?(outcome: IngestOutcome, file: string): void;
  /** Every second while running: files, rows and errors of that second. */
  onSample?(sample: OperatorSample): void;
  /** See IngestDeps.settleMs (tests shorten it). */
  settleMs?: number;
  /** The time partitions declared for a table. */
  partition?(dbms: string, table: string): PartitionRule | undefined;
}

/** The last hour of per-second samples is kept. */
const SERIES_LENGTH = 3600;

interface TableStats {
  files: number;
  rows: number;
  last: number;
  firstInsert: number;
  dbmsMs: number;
}

interface Running {
  config: OperatorConfig;
  member: string;
  cluster: string;
  started: number;
  watcher: FSWatcher;
  ingestor: Ingestor;
  queue: string[];
  queued: Set<string>;
  /** Up to `threads` files at once on the workers; files whose databases live in memory run here, one at a time. */
  workers: IngestWorkers;
  inFlight: Set<Promise<void>>;
  local: Promise<void>;
  /** Hashes of the files being ingested (no two files with the same bytes at once). */
  hashes: Set<string>;
  stats: Map<string, TableStats>;
  errors: { json: number; last?: { time: number; dbms: string; table: string; code: number; text: string } | undefined };
  processingMs: number;
  totalRows: number;
  summaryMark: { at: number; rows: number; errors: number };
  /** Files to try again later (rows committed but archiving failed, or the file could not be moved). */
  retries: Set<NodeJS.Timeout>;
  /** The current second's counts, and the per-second timer that closes it. */
  bucket: { files: number; rows: number; errors: number };
  ticker: NodeJS.Timeout;
}

const IGNORED = /(^|[/\\])\.|\.tmp(-\d+)?$|\.err\.json$/;

function hms(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(Math.floor(s / 3600))}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}`;
}

export class OperatorService {
  private running: Running | undefined;
  private unregister: (() => void) | undefined;

  constructor(private readonly deps: OperatorDeps) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** This node's member id while the operator runs (from its policy), '0' otherwise. */
  member(): string {
    return this.running?.member ?? '0';
  }

  async start(config: OperatorConfig): Promise<void> {
    if (this.running) throw new CommandError(Status.PROCESS_ALREADY_RUNNING, 'The operator is already running (exit operator first)');
    const dict = this.deps.dictionary;
    const ledgerFile = dict.get('blockchain_file') ?? '';
    const matches = policiesById(await readLedger(ledgerFile), 'operator', config.policy);
    if (matches.length !== 1) {
      throw new CommandError(113, matches.length === 0 ? `Missing Operator policy with ID '${config.policy}' in ${ledgerFile}` : `Operator policy '${config.policy}' appears ${matches.length} times in the ledger`);
    }
    const policy = matches[0]!;
    if (config.updateTsdInfo) {
      const almgm = (() => {
        try {
          return this.deps.database('almgm');
        } catch {
          return undefined;
        }
      })();
      if (!almgm || !(await almgm.tables()).includes('tsd_info')) {
        throw new CommandError(Status.DBMS_NOT_OPENED, "Table 'tsd_info' in dbms 'almgm' does not exists or dbms is not connected");
      }
    }
    const watchDir = config.watchDir ?? dict.get('watch_dir')!;
    const errDir = config.errDir ?? dict.get('err_dir')!;
    const member = policy.member !== undefined ? String(policy.member) : '0';
    const dirs = { archiveDir: dict.get('archive_dir')!, errDir };
    const options = { createTable: config.createTable, updateTsdInfo: config.updateTsdInfo, archiveJson: config.archiveJson, compressJson: config.compressJson, member };
    const hashes = new Set<string>();
    const turns = new WriteTurns();
    const claim = (hash: string) => !hashes.has(hash) && hashes.add(hash).has(hash);
    const ingestor = new Ingestor(
      { database: (name) => this.deps.database(name), partition: (d, t) => this.deps.partition?.(d, t), settleMs: this.deps.settleMs, claim: async (h) => claim(h), release: (h) => hashes.delete(h), exclusive: (dbms, fn) => turns.run(dbms, fn) },
      dirs,
      options,
    );
    const watcher = watch(watchDir, { depth: 0, ignoreInitial: true, ignored: (p) => IGNORED.test(basename(p)), });
    const watcherReady = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    const running: Running = {
      config,
      member,
      cluster: String(policy.cluster ?? ''),
      started: Date.now(),
      watcher,
      ingestor,
      queue: [],
      queued: new Set(),
      workers: new IngestWorkers(config.threads, { dirs, options, settleMs: this.deps.settleMs }, { claim: (h) => claim(h), release: (h) => hashes.delete(h), turns }),
      inFlight: new Set(),
      local: Promise.resolve(),
      hashes,
      stats: new Map(),
      errors: { json: 0 },
      processingMs: 0,
      totalRows: 0,
      summaryMark: { at: Date.now(), rows: 0, errors: 0 },
      retries: new Set(),
      bucket: { files: 0, rows: 0, errors: 0 },
      ticker: setInterval(() => this.tick(running), 1000),
    };
    try {
      await running.workers.start();
    } catch (err) {
      clearInterval(running.ticker);
      await watcher.close();
      await running.workers.close();
      throw new CommandError(Status.PROCESS_FAILURE, `The operator's ingestion workers failed to start: ${(err as Error).message}`);
    }
    this.running = running;
    try {
      watcher.on('add', (path) => this.enqueue(running, path));
      watcher.on('error', () => undefined);
      await watcherReady;
      for (const name of (await readdir(watchDir)).sort()) if (!IGNORED.test(name)) this.enqueue(running, join(watchDir, name));
    } catch (err) {
      this.running = undefined;
      clearInterval(running.ticker);
      await watcher.close();
      await running.workers.close();
      throw new CommandError(Status.DIR_DOES_NOT_EXIST, `Cannot watch ${watchDir}: ${(err as Error).message}`);
    }
    this.unregister = this.deps.processes.register('Operator', {
      running: () => this.running !== undefined,
      details: () => `Cluster Member: ${running.cluster ? 'True' : 'False'}, Using Master: ${config.masterNode ?? 'False'}, Threads Pool: ${config.threads}`,
      stopCommand: 'exit operator',
    });
  }

  /** Stops watching; a file being ingested finishes first (its transaction is never cut). */
  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    running.queue.length = 0;
    for (const t of running.retries) clearTimeout(t);
    running.retries.clear();
    clearInterval(running.ticker);
    await running.watcher.close();
    await Promise.all(running.inFlight);
    await running.workers.close();
    this.unregister?.();
    this.unregister = undefined;
  }

  /** Resolves when every queued file is processed (tests, benchmarks). */
  async drained(): Promise<void> {
    while (this.running && (this.running.inFlight.size > 0 || this.running.queue.length > 0)) await Promise.race(this.running.inFlight);
  }

  private enqueue(running: Running, path: string): void {
    if (running.queued.has(path) || this.running !== running) return;
    running.queued.add(path);
    running.queue.push(path);
    this.pump(running);
  }

  /** Hands queued files to free workers (in arrival order). */
  private pump(running: Running): void {
    while (running.queue.length > 0 && this.running === running && running.inFlight.size < running.config.threads) {
      const path = running.queue.shift()!;
      const job = this.ingest(running, path).finally(() => {
        running.inFlight.delete(job);
        this.pump(running);
      });
      running.inFlight.add(job);
    }
  }

  /** The connections a worker needs for this file, or undefined when it must be ingested here (in-memory dbms). */
  private specsFor(running: Running, dbms: string): Record<string, ConnectionSpec> | undefined {
    const names = running.config.updateTsdInfo ? [dbms, 'almgm'] : [dbms];
    const specs: Record<string, ConnectionSpec> = {};
    for (const name of names) {
      let spec: ConnectionSpec | undefined;
      try {
        spec = this.deps.database(name).spec;
      } catch {
        return undefined; // not connected: the error (and the file's move to the error directory) comes from here
      }
      if (!spec) return undefined;
      specs[name] = spec;
    }
    return specs;
  }

  private async ingest(running: Running, path: string): Promise<void> {
    let target: { dbms: string; table: string } | undefined;
    try {
      target = parseFileName(basename(path));
    } catch {
      target = undefined; // a bad name goes to the error directory from here
    }
    const specs = target && this.specsFor(running, target.dbms);
    let result: JobResult;
    if (target && specs) {
      result = await running.workers.run(path, specs, this.deps.partition?.(target.dbms, target.table));
    } else {
      const local = running.local.then(async (): Promise<JobResult> => {
        const t0 = Date.now();
        const outcome = await running.ingestor.process(path).catch((err: Error): IngestOutcome => ({ status: 'retry', reason: err.message }));
        return { outcome, ms: Date.now() - t0 };
      });
      running.local = local.then(() => undefined);
      result = await local;
    }
    const { outcome, ms } = result;
    running.queued.delete(path);
    this.count(running, outcome, ms);
    if (outcome.status === 'retry' && this.running === running) {
      const timer = setTimeout(() => {
        running.retries.delete(timer);
        this.enqueue(running, path);
      }, outcome.delayMs ?? 5000);
      running.retries.add(timer);
    }
    this.deps.onOutcome?.(outcome, basename(path));
  }

  /** The last hour, one sample per second (kept across operator restarts of this node). */
  private readonly series: OperatorSample[] = [];

  stats(): { running: boolean; series: OperatorSample[] } {
    return { running: this.running !== undefined, series: [...this.series] };
  }

  private tick(running: Running): void {
    const sample = { t: Math.floor(Date.now() / 1000), ...running.bucket };
    running.bucket = { files: 0, rows: 0, errors: 0 };
    this.series.push(sample);
    if (this.series.length > SERIES_LENGTH) this.series.splice(0, this.series.length - SERIES_LENGTH);
    this.deps.onSample?.(sample);
  }

  private count(running: Running, outcome: IngestOutcome, ms: number): void {
    running.processingMs += ms;
    if (outcome.status === 'ingested') {
      running.bucket.files++;
      running.bucket.rows += outcome.rows;
    } else if (outcome.status === 'failed') running.bucket.errors++;
    if (outcome.status === 'ingested') {
      const key = `${outcome.dbms}.${outcome.table}`;
      const now = Date.now();
      const s = running.stats.get(key) ?? { files: 0, rows: 0, last: now, firstInsert: now, dbmsMs: 0 };
      s.files++;
      s.rows += outcome.rows;
      s.last = now;
      s.dbmsMs += ms;
      running.stats.set(key, s);
      running.totalRows += outcome.rows;
    } else if (outcome.status === 'failed') {
      running.errors.json++;
      running.errors.last = { time: Date.now(), dbms: outcome.dbms ?? '', table: outcome.table ?? '', code: outcome.code, text: statusText(outcome.code) };
    }
  }

  commands(): CommandSpec[] {
    const text = (t: string): CommandResult => ({ code: 0, output: { kind: 'text', text: t } });
    const section = (title: string, columns: string[], rows: (string | number)[][]) => `\r\n\nStats: ${title}${formatTable(columns, rows)}`;
    const notActive = () => section('OPERATOR CONFIG', ['Status', 'Operational time', 'Timestamp', 'Member', 'Policy', 'Cluster'], [['Not Active', '', '', '', '', '']]);
    const perTable = (r: Running, f: (dbms: string, table: string, s: TableStats) => (string | number)[]) => {
      let lastDbms = '';
      return [...r.stats.entries()].sort().map(([key, s]) => {
        const [dbms, table] = key.split('.') as [string, string];
        const row = f(dbms === lastDbms ? '' : dbms, table, s);
        lastDbms = dbms;
        return row;
      });
    };
    return [
      {
        key: 'run operator',
        usage: 'run operator where policy = [policy id] and create_table = [true/false] and update_tsd_info = [true/false] and archive_json = [true/false] and compress_json = [true/false] and master_node = [IP:Port] and threads = [number]',
        help: 'Starts the operator: files dropped in !watch_dir are ingested into the local databases, tracked in tsd_info, archived under !archive_dir, and failures go to !err_dir with their reason.',
        maxArgs: 0,
        where: RUN_OPERATOR_OPTIONS,
        run: async (_ctx, inv) => {
          await this.start(operatorConfig(inv.options));
          return { code: 0 };
        },
      },
      {
        key: 'exit operator',
        usage: 'exit operator',
        help: 'Stops the operator after the file being ingested.',
        keyOnly: true,
        hidden: true,
        run: async () => {
          await this.stop();
          return { code: 0 };
        },
      },
      {
        key: 'get operator',
        usage: 'get operator [inserts/summary/config] where format = [table/json]',
        help: 'Operator statistics: files and rows per table, inserts, errors, summary and configuration.',
        maxArgs: 1,
        where: { format: { type: 'format', default: 'table' } },
        run: (_ctx, inv) => {
          const r = this.running;
          const variant = inv.args[0] ?? '';
          if (!['', 'inserts', 'summary', 'config'].includes(variant)) throw new CommandError(Status.COMMAND_STRUCT, `get operator ${variant}: use inserts, summary or config`);
          if (!r) return text(notActive());
          const now = Date.now();
          const operational = hms(now - r.started);
          if (variant === 'config') {
            const value = { status: 'Active', 'operational time': operational, timestamp: Math.floor(r.started / 1000), member: Number(r.member), policy: r.config.policy, cluster: r.cluster };
            if (inv.format === 'json') return { code: 0, output: { kind: 'json', value } };
            return text(section('OPERATOR CONFIG', ['Status', 'Operational time', 'Timestamp', 'Member', 'Policy', 'Cluster'], [['Active', operational, value.timestamp.toLocaleString('en-US'), value.member, value.policy, value.cluster]]));
          }
          if (variant === 'summary') {
            // "New" counters and the elapsed time are since the previous summary (reading resets them).
            const mark = r.summaryMark;
            const value = {
              'node name': this.deps.nodeName(),
              status: 'Active',
              'operational time': operational,
              'processing time': hms(r.processingMs),
              'elapsed time': hms(now - mark.at),
              'new rows': r.totalRows - mark.rows,
              'total rows': r.totalRows,
              'new errors': r.errors.json - mark.errors,
              'total errors': r.errors.json,
              'avg. rows/sec': Number((r.totalRows / Math.max(1, (now - r.started) / 1000)).toFixed(2)),
            };
            r.summaryMark = { at: now, rows: r.totalRows, errors: r.errors.json };
            if (inv.format === 'json') return { code: 0, output: { kind: 'json', value } };
            return text(section('OPERATOR SUMMARY', ['Node name', 'Status', 'Operational time', 'Processing time', 'Elapsed time', 'New rows', 'Total rows', 'New errors', 'Total errors', 'Avg. rows/sec'], [Object.values(value) as (string | number)[]]));
          }
          const inserts = section('OPERATOR INSERTS', ['DBMS', 'Table', 'First insert', 'Last insert', 'Batch inserts', 'Immediate inserts', 'DBMS Seconds'], perTable(r, (d, t, s) => [d, t, hms(now - s.firstInsert), hms(now - s.last), s.rows, 0, (s.dbmsMs / 1000).toFixed(3)]));
          if (variant === 'inserts') {
            if (inv.format === 'json') return { code: 0, output: { kind: 'json', value: Object.fromEntries([...r.stats].map(([k, s]) => [k, { files: s.files, rows: s.rows, 'dbms seconds': s.dbmsMs / 1000 }])) } };
            return text(inserts);
          }
          const last = r.errors.last;
          const json = section('OPERATOR JSON', ['DBMS', 'Table', 'Files', 'Immediate', 'Timestamp', 'Elapsed_time'], perTable(r, (d, t, s) => [d, t, s.files, 0, Math.floor(s.last / 1000), hms(now - s.last)]));
          const errors = section('OPERATOR ERROR', ['Type', 'Counter', 'Timestamp', 'Elapsed time', 'Dbms name', 'Table name', 'Last error', 'Last error text'], [
            ['JSON Errors', r.errors.json, last ? Math.floor(last.time / 1000) : 0, last ? hms(now - last.time) : '00:00:00', last?.dbms ?? '', last?.table ?? '', last?.code ?? 0, last?.text ?? ''],
            ['SQL Errors', 0, 0, '00:00:00', '', '', 0, ''],
          ]);
          if (inv.format === 'json') {
            return { code: 0, output: { kind: 'json', value: [Object.fromEntries([...r.stats].map(([k, s]) => [k, { files: s.files, rows: s.rows }])), {}, {}, { json_errors: r.errors.json, last_error: last ?? null }] } };
          }
          return text(`${json}${inserts}${errors}`);
        },
      },
    ];
  }
}
