// The operator's ingestion workers: `threads` worker threads, each ingesting one file at a time with its own
// database connections. A worker that dies (out of memory, a native crash) fails only its file's attempt: the
// file stays in the watch directory, is retried, and a new worker takes the next file.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ConnectionSpec } from '../dbms/adapter.js';
import type { PartitionRule } from '../dbms/partitions.js';
import type { RowsWritten } from './ingest-core.js';
import type { IngestOutcome } from './ingest-types.js';
import type { WriteTurns } from './turns.js';
import type { FromWorker, ToWorker, WorkerSetup } from './worker-protocol.js';

/** Set by the build (scripts/build.mjs) when the engine runs bundled: the worker is a file beside the bundle. */
declare const __EDGELAKE_BUNDLED__: boolean | undefined;

function spawn(setup: WorkerSetup): Worker {
  if (typeof __EDGELAKE_BUNDLED__ !== 'undefined') {
    // In the packaged desktop app the worker is unpacked beside the asar archive (build/electron-builder.yml).
    const file = join(__dirname, 'ingest-worker.cjs').replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
    return new Worker(file, { workerData: setup });
  }
  // From the TypeScript sources (tests, benchmarks): workers do not inherit tsx's loader, so the worker registers
  // it before importing its entry.
  const entry = new URL('./ingest-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true, workerData: setup });
}

export interface JobResult {
  outcome: IngestOutcome;
  ms: number;
}

interface Slot {
  worker: Worker;
  /** Write turns this worker holds, ended if it dies. */
  turns: Map<number, () => void>;
  ready: Promise<void>;
  job?: { id: number; resolve: (r: JobResult) => void; done: Promise<unknown> } | undefined;
}

export class IngestWorkers {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly setup: WorkerSetup,
    private readonly hooks: { claim(hash: string): boolean; release(hash: string): void; turns: WriteTurns; written(written: RowsWritten): void },
  ) {}

  /** Starts every worker and waits until each has loaded (so the first files do not pay for it). */
  async start(): Promise<void> {
    while (this.slots.length < this.size) this.add();
    await Promise.all(this.slots.map((slot) => slot.ready));
  }

  /** Whether a worker is free for a file. */
  get free(): boolean {
    return !this.closed && (this.slots.length < this.size || this.slots.some((s) => !s.job));
  }

  /** Ingests one file on a free worker (check `free` first). */
  run(path: string, specs: Record<string, ConnectionSpec>, partition?: PartitionRule): Promise<JobResult> {
    if (this.closed) return Promise.resolve({ outcome: { status: 'retry', reason: 'the operator is stopping' }, ms: 0 });
    const slot = this.slots.find((s) => !s.job) ?? this.add();
    const id = this.nextId++;
    let resolve!: (r: JobResult) => void;
    const result = new Promise<JobResult>((r) => (resolve = r));
    slot.job = { id, resolve, done: result };
    slot.worker.postMessage({ type: 'job', id, path, specs, partition } satisfies ToWorker);
    return result;
  }

  private add(): Slot {
    const worker = spawn(this.setup);
    const slot: Slot = {
      worker,
      turns: new Map(),
      ready: new Promise<void>((resolve, reject) => {
        worker.once('error', reject);
        worker.on('message', (m: FromWorker) => m.type === 'ready' && resolve());
      }),
    };
    slot.ready.catch(() => undefined);
    const fail = (reason: string) => {
      for (const end of slot.turns.values()) end();
      slot.turns.clear();
      const job = slot.job;
      slot.job = undefined;
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      job?.resolve({ outcome: { status: 'retry', reason: `the ingestion worker stopped: ${reason}` }, ms: 0 });
    };
    slot.worker.on('message', (m: FromWorker) => {
      if (m.type === 'claim') {
        slot.worker.postMessage({ type: 'claimed', claim: m.claim, ok: this.hooks.claim(m.hash) } satisfies ToWorker);
      } else if (m.type === 'written') {
        this.hooks.written(m.written);
      } else if (m.type === 'release') {
        this.hooks.release(m.hash);
      } else if (m.type === 'take-turn') {
        void this.hooks.turns.take(m.dbms).then((end) => {
          slot.turns.set(m.turn, end);
          slot.worker.postMessage({ type: 'turn', turn: m.turn } satisfies ToWorker);
        });
      } else if (m.type === 'end-turn') {
        slot.turns.get(m.turn)?.();
        slot.turns.delete(m.turn);
      } else if (m.type === 'done' && slot.job?.id === m.id) {
        const job = slot.job;
        slot.job = undefined;
        job.resolve({ outcome: m.outcome, ms: m.ms });
      }
    });
    slot.worker.on('error', (err) => fail(err.message));
    slot.worker.on('exit', (code) => fail(`exit code ${code}`));
    this.slots.push(slot);
    return slot;
  }

  /** Stops the workers once their files are done (a transaction is never cut). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((slot) => slot.job?.done));
    await Promise.all(
      [...this.slots].map(async (slot) => {
        const exited = new Promise<void>((resolve) => slot.worker.once('exit', () => resolve()));
        slot.worker.postMessage({ type: 'close' } satisfies ToWorker);
        // A worker that does not close its connections in time is terminated.
        const timer = setTimeout(() => void slot.worker.terminate(), 5000);
        await exited;
        clearTimeout(timer);
      }),
    );
    this.slots.length = 0;
  }
}
