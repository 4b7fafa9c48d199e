// The operator service: watches !watch_dir, ingests each file (ingest.ts, on the ingestion workers), writes rows
// of streams through its ingest core (writeRows), keeps the counters behind `get operator` (counters.ts, rendered
// by stats-command.ts), and registers as 'Operator' in the process registry. Files already in the
// directory when it starts (left by a crash or dropped while stopped) are processed first, after the temporary
// files a kill may have left are cleaned (leftovers.ts). The directory is also listed again every few seconds:
// the watcher reports neither dangling links nor editor-style names, and a missed event must not strand a file.
// A file that cannot be finished is tried MAX_ATTEMPTS times, then goes to the error directory with the last reason.
import { watch, type FSWatcher } from 'chokidar';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { CommandSpec, DictionaryApi } from '../command/types.js';
import type { ProcessRegistry } from '../core/processes.js';
import { CommandError, Status } from '../core/status.js';
import type { ConnectionSpec, DbmsAdapter } from '../dbms/adapter.js';
import type { PartitionRule } from '../dbms/partitions.js';
import type { Ledger } from '../metadata/ledger.js';
import { parseFileName } from './file-name.js';
import { OperatorCounters } from './counters.js';
import { busyFlags, poolSummary } from '../command/format/pool.js';
import { Ingestor } from './ingest.js';
import { IngestCore, type RowBatch, type RowsWritten, type WriteResult } from './ingest-core.js';
import type { IngestOutcome } from './ingest-types.js';
import { getOperatorCommand } from './stats-command.js';
import { cleanLeftovers } from './leftovers.js';
import { ignoredName } from './watch-entry.js';
import { WriteTurns } from './turns.js';
import { IngestWorkers, type JobResult } from './worker-pool.js';
import { operatorConfig, RUN_OPERATOR_OPTIONS, type OperatorConfig } from './options.js';
import { operatorSetup } from './setup.js';
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
  /** A table the ingest core created (its generic DDL): the node publishes it as a `table` policy. */
  onTableCreated?(dbms: string, table: string, ddl: string): void;
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

interface Running {
  config: OperatorConfig;
  member: string;
  cluster: string;
  /** The policy's address (`Node at ip:port` in the cluster policies it publishes). */
  address: { ip: string; port: string };
  started: number;
  watcher: FSWatcher;
  ingestor: Ingestor;
  /** The ingest core on this thread: streamed rows (writeRows) and files of in-memory databases. */
  core: IngestCore;
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
  /** The directory watched (get watch directories) and the files handled (get operator pool). */
  watchDir: string;
  handled: number;
  local: Promise<void>;
  /** Hashes of the files being ingested (no two files with the same bytes at once). */
  hashes: Set<string>;
  /** `get operator`'s counters: writes of the ingest core (here and on the workers) and finished files. */
  counters: OperatorCounters;
  /** Files to try again later (rows committed but archiving failed, or the file could not be moved). */
  retries: Set<NodeJS.Timeout>;
  /** The per-second timer that closes the counters' current second. */
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
    const { policy, member, dirs, options } = await operatorSetup(this.deps, config);
    const watchDir = dirs.watchDir;
    const hashes = new Set<string>();
    const turns = new WriteTurns();
    const claim = (hash: string) => !hashes.has(hash) && hashes.add(hash).has(hash);
    const counters = new OperatorCounters();
    const written = (w: RowsWritten) => this.written(counters, w);
    const coreDeps = { database: (name: string) => this.deps.database(name), partition: (d: string, t: string) => this.deps.partition?.(d, t), exclusive: <T,>(dbms: string, fn: () => Promise<T>) => turns.run(dbms, fn), onWritten: written };
    const ingestor = new Ingestor({ ...coreDeps, settleMs: this.deps.settleMs, claim: async (h) => claim(h), release: (h) => hashes.delete(h) }, dirs, options);
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
      core: new IngestCore(coreDeps, options),
      queue: [],
      queued: new Set(),
      attempts: new Map(),
      abandoned: new Set(),
      rescan: setInterval(() => void this.scan(running, watchDir).catch(() => undefined), this.deps.rescanMs ?? RESCAN_MS),
      workers: new IngestWorkers(config.threads, { dirs, options, settleMs: this.deps.settleMs }, { claim: (h) => claim(h), release: (h) => hashes.delete(h), turns, written }),
      inFlight: new Set(),
      watchDir,
      handled: 0,
      local: Promise.resolve(),
      hashes,
      counters,
      retries: new Set(),
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
    running.counters.file(outcome, result.ms);
    running.handled++;
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
    const sample = { t: Math.floor(Date.now() / 1000), ...running.counters.takeBucket() };
    this.series.push(sample);
    if (this.series.length > SERIES_LENGTH) this.series.splice(0, this.series.length - SERIES_LENGTH);
    this.deps.onSample?.(sample);
  }

  /** A write the ingest core committed (on this thread or a worker): counted, and a table it created published. */
  private written(counters: OperatorCounters, w: RowsWritten): void {
    counters.written(w);
    if (w.createdTable) this.deps.onTableCreated?.(w.dbms, w.table, w.createdTable);
  }

  /**
   * Writes rows that came from no file (a stream: MQTT, REST PUT/POST, the HA consumer) through the operator's
   * ingest core: its options (create_table, update_tsd_info, member), partitions and counters (immediate inserts).
   */
  async writeRows(batch: RowBatch): Promise<WriteResult> {
    const running = this.running;
    if (!running) throw new CommandError(Status.OPERATOR_NOT_ENABLED, `rows for ${batch.dbms}.${batch.table} from ${batch.source}: the operator is not running (run operator where policy = ...)`);
    return running.core.writeRows(batch);
  }

  commands(): CommandSpec[] {
    return [
      {
        key: 'run operator',
        usage: 'run operator where policy = [policy id] and create_table = [true/false] and update_tsd_info = [true/false] and archive_json = [true/false] and compress_json = [true/false] and master_node = [IP:Port] and threads = [number]',
        help: 'Starts the operator: files dropped in !watch_dir are ingested into the local databases, tracked in tsd_info, archived under !archive_dir, and failures go to !err_dir with their reason.',
        maxArgs: 0,
        where: RUN_OPERATOR_OPTIONS,
        run: async (_ctx, inv) => {
          await this.start(operatorConfig(inv.options));
          return { code: Status.SUCCESS };
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
          return { code: Status.SUCCESS };
        },
      },
      {
        key: 'get operator pool',
        usage: 'get operator pool',
        help: 'The operator workers: busy flags and files handled.',
        keyOnly: true,
        run: () => {
          const r = this.running;
          const text = r ? poolSummary('Operator', busyFlags(r.config.threads, r.inFlight.size), r.handled) : 'Operator Pool is not declared';
          return { code: Status.SUCCESS, output: { kind: 'text', text } };
        },
      },
      {
        key: 'get watch directories',
        usage: 'get watch directories',
        help: 'The directories watched for new files (the operator\'s !watch_dir while it runs).',
        keyOnly: true,
        run: () => {
          const dirs = this.running ? [this.running.watchDir.replace(/\/?$/, '/')] : [];
          return { code: Status.SUCCESS, output: { kind: 'text', text: `[${dirs.join(', ')}]` } };
        },
      },
      getOperatorCommand({
        stats: () => {
          const r = this.running;
          return r && { counters: r.counters, started: r.started, member: r.member, policy: r.config.policy, cluster: r.cluster };
        },
        nodeName: () => this.deps.nodeName(),
      }),
    ];
  }
}
