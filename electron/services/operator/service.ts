// The operator service: watches !watch_dir, ingests each file (ingest.ts) one after the other, keeps EdgeLake's
// counters for `get operator`, and registers as 'Operator' in the process registry. Files already in the
// directory when it starts (left by a crash or dropped while stopped) are processed first, after the temporary
// files a kill may have left are cleaned (leftovers.ts). The directory is also listed again every few seconds:
// the watcher reports neither dangling links nor editor-style names, and a missed event must not strand a file.
// A file that cannot be finished is tried MAX_ATTEMPTS times, then goes to the error directory with the last reason.
import { watch, type FSWatcher } from 'chokidar';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { formatTable } from '../command/format/table.js';
import type { CommandResult, CommandSpec, DictionaryApi } from '../command/types.js';
import type { ProcessRegistry } from '../core/processes.js';
import { CommandError, Status, statusText } from '../core/status.js';
import type { ConnectionSpec, DbmsAdapter } from '../dbms/adapter.js';
import type { PartitionRule } from '../dbms/partitions.js';
import { bodyOf, typeOf, type Ledger } from '../metadata/ledger.js';
import { toPlain } from '../metadata/policy-id.js';
import { elapsed } from '../dbms/query-output.js';
import { parseFileName } from './file-name.js';
import { Ingestor, type IngestOutcome } from './ingest.js';
import { cleanLeftovers } from './leftovers.js';
import { ignoredName } from './watch-entry.js';
import { WriteTurns } from './turns.js';
import { IngestWorkers, type JobResult } from './worker-pool.js';
import { operatorConfig, RUN_OPERATOR_OPTIONS, type OperatorConfig } from './options.js';
import type { OperatorSample } from '../../../shared/types.js';
import type { NodeService } from '../command/service.js';

export interface OperatorDeps {
  dictionary: DictionaryApi;
  processes: ProcessRegistry;
  database(name: string): DbmsAdapter;
  /** The node's ledger (the metadata layer's), where the operator finds its policy. */
  ledger(): Pick<Ledger, 'all' | 'issues'>;
  /** `name@ip:port` for the summary table. */
  nodeName(): string;
  /** Every file outcome, for the console's live views. */
  onOutcome?(outcome: IngestOutcome, file: string): void;
  /** Every second while running: files, rows and errors of that second. */
  onSample?(sample: OperatorSample): void;
  /** See IngestDeps.settleMs (tests shorten it). */
  settleMs?: number;
  /** The first retry's delay, doubled at each attempt (default RETRY_MS; tests shorten it). */
  retryMs?: number;
  /** How often the watch directory is listed again (default RESCAN_MS). */
  rescanMs?: number;
  /** The time partitions declared for a table. */
  partition?(dbms: string, table: string): PartitionRule | undefined;
}

/** The last hour of per-second samples is kept. */
const SERIES_LENGTH = 3600;
/**
 * Attempts at a file that fails without being a data error (rows committed but the archive cannot be written, the
 * file cannot be moved, its ingestion worker died): 5, at 5, 10, 20 and 40 s after the first — then the error
 * directory with the last reason. Waiting for a writer or for a file with the same bytes is not an attempt.
 */
export const MAX_ATTEMPTS = 5;
const RETRY_MS = 5000;
const RESCAN_MS = 5000;

interface ErrorStats {
  count: number;
  last?: { time: number; dbms: string; table: string; code: number; text: string } | undefined;
}

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
  /** The policy's address (`Node at ip:port` in the cluster policies it publishes). */
  address: { ip: string; port: string };
  started: number;
  watcher: FSWatcher;
  ingestor: Ingestor;
  queue: string[];
  /** Every path the operator holds: queued, in flight or waiting to be tried again (a rescan skips them). */
  queued: Set<string>;
  /** Failed attempts per path (retries that were not waits). */
  attempts: Map<string, number>;
  /** Paths given up on that could not even be moved to the error directory: left alone until the next start. */
  abandoned: Set<string>;
  rescan: NodeJS.Timeout;
  /** Up to `threads` files at once on the workers; files whose databases live in memory run here, one at a time. */
  workers: IngestWorkers;
  inFlight: Set<Promise<void>>;
  local: Promise<void>;
  /** Hashes of the files being ingested (no two files with the same bytes at once). */
  hashes: Set<string>;
  /** JSON files and inserted rows per dbms.table (the JSON and INSERTS sections). */
  stats: Map<string, TableStats>;
  /** Per dbms.table or dbms.table.partition: SQL files and partitioned inserts (the SQL section, as EdgeLake). */
  sqlStats: Map<string, { files: number; last: number }>;
  errors: Record<'json' | 'sql', ErrorStats>;
  processingMs: number;
  totalRows: number;
  summaryMark: { at: number; rows: number; errors: number };
  /** Files to try again later (rows committed but archiving failed, or the file could not be moved). */
  retries: Set<NodeJS.Timeout>;
  /** The current second's counts, and the per-second timer that closes it. */
  bucket: { files: number; rows: number; errors: number };
  ticker: NodeJS.Timeout;
}

export class OperatorService implements NodeService {
  readonly name = 'operator';
  private running: Running | undefined;
  private unregister: (() => void) | undefined;

  constructor(private readonly deps: OperatorDeps) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** The id of the operator policy this node runs, while it runs. */
  policyId(): string | undefined {
    return this.running?.config.policy;
  }

  /** This node's cluster and member while the operator runs (get cluster info). */
  membership(): { cluster: string; member: string; ip: string; port: string } | undefined {
    return this.running ? { cluster: this.running.cluster, member: this.running.member, ...this.running.address } : undefined;
  }

  /** This node's member id while the operator runs (from its policy), '0' otherwise. */
  member(): string {
    return this.running?.member ?? '0';
  }

  async start(config: OperatorConfig): Promise<void> {
    if (this.running) throw new CommandError(Status.PROCESS_ALREADY_RUNNING, 'The operator is already running (exit operator first)');
    const dict = this.deps.dictionary;
    const ledgerFile = dict.get('blockchain_file') ?? '';
    const ledger = this.deps.ledger();
    const policies = await ledger.all();
    const problem = ledger.issues()[0];
    if (problem) throw new CommandError(Status.WRONG_POLICY_STRUCTURE, `${ledgerFile}: line ${problem.line} is not a policy (${problem.reason})`);
    const matches = policies.filter((p) => typeOf(p) === 'operator' && bodyOf(p).id === config.policy).map((p) => toPlain(bodyOf(p)) as Record<string, unknown>);
    if (matches.length !== 1) {
      throw new CommandError(Status.POLICY_NOT_AVAILABLE, matches.length === 0 ? `Missing Operator policy with ID '${config.policy}' in ${ledgerFile}` : `Operator policy '${config.policy}' appears ${matches.length} times in the ledger`);
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
    const dirs = { watchDir, archiveDir: dict.get('archive_dir')!, errDir, bkupDir: dict.get('bkup_dir'), distrDir: config.distrDir ?? dict.get('distr_dir') };
    const options = {
      createTable: config.createTable,
      updateTsdInfo: config.updateTsdInfo,
      archiveJson: config.archiveJson,
      compressJson: config.compressJson,
      archiveSql: config.archiveSql,
      compressSql: config.compressSql,
      limitTables: config.limitTables,
      distributor: config.distributor,
      member,
      maxFileSize: config.maxFileSize,
    };
    for (const key of config.limitTables) {
      const dbms = key.split('.')[0]!;
      try {
        this.deps.database(dbms);
      } catch {
        throw new CommandError(Status.DBMS_NOT_CONNECTED, `limit_tables: the operator is not connected to dbms '${dbms}' (${key})`);
      }
    }
    const hashes = new Set<string>();
    const turns = new WriteTurns();
    const claim = (hash: string) => !hashes.has(hash) && hashes.add(hash).has(hash);
    const ingestor = new Ingestor(
      { database: (name) => this.deps.database(name), partition: (d, t) => this.deps.partition?.(d, t), settleMs: this.deps.settleMs, claim: async (h) => claim(h), release: (h) => hashes.delete(h), exclusive: (dbms, fn) => turns.run(dbms, fn) },
      dirs,
      options,
    );
    // Links are reported as entries (not followed): the ingestor decides where they lead.
    const watcher = watch(watchDir, { depth: 0, ignoreInitial: true, followSymlinks: false, ignored: (p) => p !== watchDir && ignoredName(basename(p)) });
    const watcherReady = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    const running: Running = {
      config,
      member,
      cluster: String(policy.cluster ?? ''),
      address: { ip: String(policy.ip ?? ''), port: String(policy.port ?? '') },
      started: Date.now(),
      watcher,
      ingestor,
      queue: [],
      queued: new Set(),
      attempts: new Map(),
      abandoned: new Set(),
      rescan: setInterval(() => void this.scan(running, watchDir).catch(() => undefined), this.deps.rescanMs ?? RESCAN_MS),
      workers: new IngestWorkers(config.threads, { dirs, options, settleMs: this.deps.settleMs }, { claim: (h) => claim(h), release: (h) => hashes.delete(h), turns }),
      inFlight: new Set(),
      local: Promise.resolve(),
      hashes,
      stats: new Map(),
      sqlStats: new Map(),
      errors: { json: { count: 0 }, sql: { count: 0 } },
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
      clearInterval(running.rescan);
      await watcher.close();
      await running.workers.close();
      throw new CommandError(Status.PROCESS_FAILURE, `The operator's ingestion workers failed to start: ${(err as Error).message}`);
    }
    this.running = running;
    try {
      watcher.on('add', (path) => this.enqueue(running, path));
      // A directory is reported to the ingestor, which ignores it unless it is named like a data file.
      watcher.on('addDir', (path) => path !== watchDir && this.enqueue(running, path));
      watcher.on('error', () => undefined);
      await watcherReady;
      await cleanLeftovers(dirs);
      await this.scan(running, watchDir);
    } catch (err) {
      this.running = undefined;
      clearInterval(running.ticker);
      clearInterval(running.rescan);
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
    clearInterval(running.rescan);
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
    if (running.queued.has(path) || running.abandoned.has(path) || this.running !== running) return;
    running.queued.add(path);
    running.queue.push(path);
    this.pump(running);
  }

  /** Lists the watch directory and takes what is not held yet (in name order). */
  private async scan(running: Running, watchDir: string): Promise<void> {
    for (const name of (await readdir(watchDir)).sort()) if (!ignoredName(name)) this.enqueue(running, join(watchDir, name));
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
    let { outcome } = result;
    if (outcome.status === 'retry' && !outcome.wait) {
      const attempts = (running.attempts.get(path) ?? 0) + 1;
      running.attempts.set(path, attempts);
      if (attempts >= MAX_ATTEMPTS) {
        const reason = `${outcome.reason} — the operator gave up after ${attempts} attempts; fix the cause, then drop the file into the watch directory again (rows already stored are not inserted twice)`;
        outcome = await running.ingestor.fail(path, Status.IO_ERROR, reason);
        if (outcome.status === 'retry') running.abandoned.add(path);
      }
    }
    const retry = outcome.status === 'retry' && !running.abandoned.has(path) && this.running === running;
    if (!retry) {
      running.queued.delete(path);
      running.attempts.delete(path);
    }
    this.count(running, outcome, result.ms);
    if (retry && outcome.status === 'retry') {
      const backoff = (this.deps.retryMs ?? RETRY_MS) * 2 ** ((running.attempts.get(path) ?? 1) - 1);
      const delay = outcome.delayMs ?? (outcome.wait ? 200 : backoff);
      const timer = setTimeout(() => {
        running.retries.delete(timer);
        if (this.running !== running) return;
        running.queue.push(path);
        this.pump(running);
      }, delay);
      running.retries.add(timer);
    }
    if (outcome.status !== 'gone') this.deps.onOutcome?.(outcome, basename(path));
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
    const now = Date.now();
    if (outcome.status === 'ingested') {
      running.bucket.files++;
      running.bucket.rows += outcome.rows;
      running.totalRows += outcome.rows;
      const key = `${outcome.dbms}.${outcome.table}`;
      const s = running.stats.get(key) ?? { files: 0, rows: 0, last: now, firstInsert: now, dbmsMs: 0 };
      if (outcome.kind === 'json') s.files++;
      s.rows += outcome.rows;
      s.last = now;
      s.dbmsMs += ms;
      running.stats.set(key, s);
      // EdgeLake turns each JSON file into SQL per partition: its SQL section lists table.partition (or the table).
      const prefix = `par_${outcome.table}_`;
      const sqlKeys = outcome.kind === 'json' && outcome.partitions ? outcome.partitions.map((p) => `${key}.${p.slice(prefix.length)}`) : [key];
      for (const k of sqlKeys) {
        const q = running.sqlStats.get(k) ?? { files: 0, last: now };
        q.files++;
        q.last = now;
        running.sqlStats.set(k, q);
      }
    } else if (outcome.status === 'failed') {
      running.bucket.errors++;
      const e = running.errors[outcome.kind ?? 'json'];
      e.count++;
      e.last = { time: now, dbms: outcome.dbms ?? '', table: outcome.table ?? '', code: outcome.code, text: statusText(outcome.code) };
    }
  }

  commands(): CommandSpec[] {
    const text = (t: string): CommandResult => ({ code: 0, output: { kind: 'text', text: t } });
    const section = (title: string, columns: string[], rows: (string | number)[][]) => `\r\n\nStats: ${title}${formatTable(columns, rows)}`;
    const notActive = () => section('OPERATOR CONFIG', ['Status', 'Operational time', 'Timestamp', 'Member', 'Policy', 'Cluster'], [['Not Active', '', '', '', '', '']]);
    /** Rows of a per-table section: sorted by dbms.table, the dbms printed on its first row only. */
    const perKey = <T,>(entries: Iterable<[string, T]>, f: (dbms: string, table: string, s: T) => (string | number)[]) => {
      let lastDbms = '';
      return [...entries]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, s]) => {
          const dot = key.indexOf('.');
          const dbms = key.slice(0, dot);
          const row = f(dbms === lastDbms ? '' : dbms, key.slice(dot + 1), s);
          lastDbms = dbms;
          return row;
        });
    };
    /** `{dbms: {table: values}}`, EdgeLake's JSON shape of a per-table section. */
    const nested = <T,>(entries: Iterable<[string, T]>, f: (s: T) => string[]) => {
      const out: Record<string, Record<string, string[]>> = {};
      for (const [key, s] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const dot = key.indexOf('.');
        (out[key.slice(0, dot)] ??= {})[key.slice(dot + 1)] = f(s);
      }
      return out;
    };
    const errorRows = (r: Running, now: number) =>
      (['json', 'sql'] as const).map((kind) => {
        const e = r.errors[kind];
        return {
          type: kind === 'json' ? 'JSON Errors' : 'SQL Errors',
          counter: e.count,
          timestamp: e.last ? Math.floor(e.last.time / 1000) : 0,
          'elapsed time': e.last ? elapsed(now - e.last.time) : '00:00:00',
          'dbms name': e.last?.dbms ?? '',
          'table name': e.last?.table ?? '',
          'last error': e.last?.code ?? 0,
          'last error text': e.last?.text ?? '',
        };
      });
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
        usage: 'get operator [inserts/summary/config/json/sql/error] where format = [table/json]',
        help: 'Operator statistics: files and rows per table, inserts, errors, summary and configuration.',
        maxArgs: 1,
        where: { format: { type: 'format', default: 'table' } },
        run: (_ctx, inv) => {
          const r = this.running;
          const variant = inv.args[0] ?? '';
          if (!['', 'inserts', 'summary', 'config', 'json', 'sql', 'error'].includes(variant)) throw new CommandError(Status.COMMAND_STRUCT, `get operator ${variant}: use inserts, summary, config, json, sql or error`);
          if (!r) return text(notActive());
          const now = Date.now();
          const operational = elapsed(now - r.started);
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
              'processing time': elapsed(r.processingMs),
              'elapsed time': elapsed(now - mark.at),
              'new rows': r.totalRows - mark.rows,
              'total rows': r.totalRows,
              'new errors': r.errors.json.count + r.errors.sql.count - mark.errors,
              'total errors': r.errors.json.count + r.errors.sql.count,
              'avg. rows/sec': Number((r.totalRows / Math.max(1, (now - r.started) / 1000)).toFixed(2)),
            };
            r.summaryMark = { at: now, rows: r.totalRows, errors: r.errors.json.count + r.errors.sql.count };
            if (inv.format === 'json') return { code: 0, output: { kind: 'json', value } };
            return text(section('OPERATOR SUMMARY', ['Node name', 'Status', 'Operational time', 'Processing time', 'Elapsed time', 'New rows', 'Total rows', 'New errors', 'Total errors', 'Avg. rows/sec'], [Object.values(value) as (string | number)[]]));
          }
          const secs = (s: TableStats) => Math.floor(s.last / 1000);
          const inserts = section('OPERATOR INSERTS', ['DBMS', 'Table', 'First insert', 'Last insert', 'Batch inserts', 'Immediate inserts', 'DBMS Seconds'], perKey(r.stats, (d, t, s) => [d, t, elapsed(now - s.firstInsert), elapsed(now - s.last), s.rows, 0, (s.dbmsMs / 1000).toFixed(3)]));
          const insertsJson = () => nested(r.stats, (s) => [String(Math.floor(s.firstInsert / 1000)), String(secs(s)), elapsed(now - s.firstInsert), elapsed(now - s.last), String(s.rows), '0', String(s.dbmsMs / 1000)]);
          if (variant === 'inserts') {
            if (inv.format === 'json') return { code: 0, output: { kind: 'json', value: insertsJson() } };
            return text(inserts);
          }
          const jsonFiles = [...r.stats].filter(([, s]) => s.files > 0);
          const json = section('OPERATOR JSON', ['DBMS', 'Table', 'Files', 'Immediate', 'Timestamp', 'Elapsed_time'], perKey(jsonFiles, (d, t, s) => [d, t, s.files, 0, secs(s), elapsed(now - s.last)]));
          const sql = section('OPERATOR SQL', ['DBMS', 'Table', 'Files', 'Immediate', 'Timestamp', 'Elapsed_time'], perKey(r.sqlStats, (d, t, s) => [d, t, s.files, 0, Math.floor(s.last / 1000), elapsed(now - s.last)]));
          const errorList = errorRows(r, now);
          const errors = section('OPERATOR ERROR', ['Type', 'Counter', 'Timestamp', 'Elapsed time', 'Dbms name', 'Table name', 'Last error', 'Last error text'], errorList.map((e) => Object.values(e)));
          const files = (s: { files: number; last: number }) => [String(s.files), '0', String(Math.floor(s.last / 1000)), elapsed(now - s.last)];
          if (variant === 'json') return inv.format === 'json' ? { code: 0, output: { kind: 'json', value: nested(jsonFiles, files) } } : text(json);
          if (variant === 'sql') return inv.format === 'json' ? { code: 0, output: { kind: 'json', value: nested(r.sqlStats, files) } } : text(sql);
          if (variant === 'error') return inv.format === 'json' ? { code: 0, output: { kind: 'json', value: errorList } } : text(errors);
          if (inv.format === 'json') {
            // EdgeLake's four elements: json, sql and inserts as {dbms: {table: [values as strings]}}, then the errors.
            return { code: 0, output: { kind: 'json', value: [nested(jsonFiles, files), nested(r.sqlStats, files), insertsJson(), errorList] } };
          }
          return text(`${json}${sql}${inserts}${errors}`);
          return text(`${json}${inserts}${errors}`);
        },
      },
    ];
  }
}
