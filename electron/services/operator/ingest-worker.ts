// An ingestion worker (worker thread): ingests the files the operator hands it with its own connections to the
// node's databases, so parsing, planning and archiving of several files overlap on several cores while SQLite
// serializes their writes. The hash claims stay with the operator (one table for every worker).
import { parentPort, workerData } from 'node:worker_threads';
import type { ConnectionSpec, DbmsAdapter } from '../dbms/adapter.js';
import type { PartitionRule } from '../dbms/partitions.js';
import { openAdapter } from '../dbms/open.js';
import { Ingestor } from './ingest.js';
import type { FromWorker, ToWorker, WorkerSetup } from './worker-protocol.js';

const setup = workerData as WorkerSetup;
const port = parentPort!;
const connections = new Map<string, DbmsAdapter>();
const claims = new Map<number, (ok: boolean) => void>();
let nextClaim = 0;
const turns = new Map<number, () => void>();
let nextTurn = 0;

/** Runs `fn` in the operator's write turn on `dbms` (granted by the operator thread, one writer at a time). */
async function exclusive<T>(dbms: string, fn: () => Promise<T>): Promise<T> {
  const turn = nextTurn++;
  await new Promise<void>((resolve) => {
    turns.set(turn, resolve);
    port.postMessage({ type: 'take-turn', turn, dbms } satisfies FromWorker);
  });
  try {
    return await fn();
  } finally {
    port.postMessage({ type: 'end-turn', turn } satisfies FromWorker);
  }
}

function key(spec: ConnectionSpec): string {
  return JSON.stringify(spec);
}

async function job(id: number, path: string, specs: Record<string, ConnectionSpec>, partition: PartitionRule | undefined): Promise<void> {
  // Connections are opened on first use and kept for the worker's life (one per database).
  const opened = new Map<string, DbmsAdapter>();
  for (const [name, spec] of Object.entries(specs)) {
    let db = connections.get(key(spec));
    if (!db) {
      db = await openAdapter(spec, { busyTimeoutMs: 120_000 });
      connections.set(key(spec), db);
    }
    opened.set(name, db);
  }
  const ingestor = new Ingestor(
    {
      database: (name) => {
        const db = opened.get(name);
        if (!db) throw new Error(`DBMS '${name}' is not connected`);
        return db;
      },
      settleMs: setup.settleMs,
      claim: (hash) =>
        new Promise<boolean>((resolve) => {
          const claim = nextClaim++;
          claims.set(claim, resolve);
          port.postMessage({ type: 'claim', claim, hash } satisfies FromWorker);
        }),
      release: (hash) => port.postMessage({ type: 'release', hash } satisfies FromWorker),
      exclusive,
      partition: () => partition,
      // The counters live on the operator thread (`get operator`): each committed write is reported there.
      onWritten: (written) => port.postMessage({ type: 'written', written } satisfies FromWorker),
    },
    setup.dirs,
    setup.options,
  );
  const t0 = Date.now();
  const outcome = await ingestor.process(path).catch((err: Error) => ({ status: 'retry' as const, reason: err.message }));
  port.postMessage({ type: 'done', id, outcome, ms: Date.now() - t0 } satisfies FromWorker);
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'job') void job(message.id, message.path, message.specs, message.partition);
  else if (message.type === 'claimed') {
    claims.get(message.claim)?.(message.ok);
    claims.delete(message.claim);
  } else if (message.type === 'turn') {
    turns.get(message.turn)?.();
    turns.delete(message.turn);
  } else if (message.type === 'close') {
    void Promise.all([...connections.values()].map((db) => db.close().catch(() => undefined))).then(() => port.close());
  }
});

port.postMessage({ type: 'ready' } satisfies FromWorker);
