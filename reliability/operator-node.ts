// The operator runs' shared parts: a node as a child process (the built CLI, bin/edgelake-node.cjs, so a SIGKILL
// hits a real node), and the accounting of a watch directory after the drain — where every file ended up.
// No ports: the node runs with --no-console and no servers; everything is in a temporary home.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'bin', 'edgelake-node.cjs');

export interface OperatorHome {
  home: string;
  script: string;
  watch: string;
  archive: string;
  errDir: string;
  data: string;
}

/** A node home whose start-up script connects test + almgm and runs the operator with `operatorOptions`. */
export async function operatorHome(prefix: string, operatorOptions = ''): Promise<OperatorHome> {
  if (!existsSync(join(root, 'dist', 'node', 'cli.cjs'))) throw new Error('dist/node/cli.cjs is missing: run `node scripts/build.mjs` first');
  const home = await mkdtemp(join(tmpdir(), prefix));
  await mkdir(join(home, 'EdgeLake', 'blockchain'), { recursive: true });
  await writeFile(join(home, 'EdgeLake', 'blockchain', 'blockchain.json'), '{"operator": {"name": "rel", "company": "c", "ip": "127.0.0.1", "port": 32448, "cluster": "c1", "id": "relpolicy", "member": 5}}\n');
  const script = join(home, 'start.al');
  await writeFile(
    script,
    ['connect dbms almgm where type = sqlite', 'connect dbms test where type = sqlite', 'create table tsd_info where dbms = almgm', `run operator where policy = relpolicy and update_tsd_info = true${operatorOptions}`].join('\n'),
  );
  const data = join(home, 'EdgeLake', 'data');
  return { home, script, data, watch: join(data, 'watch'), archive: join(data, 'archive'), errDir: join(data, 'error') };
}

export interface ChildNode {
  child: ChildProcess;
  exited: Promise<void>;
  /** Resolves when the node has run its start-up script (the operator runs). */
  started: Promise<void>;
}

export function startNode(h: OperatorHome): ChildNode {
  const child = spawn(process.execPath, [cli, '--home', h.home, '--no-console', '--no-stdin', '--script', h.script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const started = new Promise<void>((resolve) => {
    const look = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('EdgeLake node home')) resolve();
    };
    child.stdout!.on('data', look);
  });
  child.stderr!.on('data', () => undefined);
  return { child, started, exited: new Promise((r) => child.on('exit', () => r())) };
}

export async function until(probe: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

async function walk(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true }).catch(() => [] as string[])).map(String);
}

/** The watch directory's entries the operator takes (the documented ignore rule leaves the others). */
export async function waiting(h: OperatorHome, ignored: (name: string) => boolean = () => false): Promise<string[]> {
  return (await readdir(h.watch).catch(() => [] as string[])).filter((n) => !ignored(n));
}

export interface Placement {
  /** Files in no final place or in two. */
  unaccounted: string[];
  /** Files in the error directory whose reason does not name the file or the cause. */
  unclear: string[];
  /** Reasons by file in the error directory. */
  reasons: Map<string, string>;
  /** Temporary files left anywhere under the data directory. */
  temporaries: string[];
}

/**
 * Where each dropped file ended: recorded in tsd_info (rows > 0) and archived under its hash, or in the error
 * directory with a reason (`<file>.err.json`, its `source` naming the file). Files with a `cause` must be in the
 * error directory with a reason naming them and matching the cause; the others must be ingested.
 */
export async function placement(h: OperatorHome, files: Map<string, { dbmsTable: string; content: Buffer; cause?: RegExp }>): Promise<Placement> {
  const tsd = new Database(join(h.data, 'dbms', 'almgm.dbms'), { readonly: true });
  const recorded = new Set((tsd.prepare('select file_hash from tsd_info where rows > 0').all() as { file_hash: string }[]).map((r) => r.file_hash));
  tsd.close();
  const archived = (await walk(h.archive)).filter((f) => f.endsWith('.gz'));
  const archivedHashes = new Set(archived.map((f) => f.split('/').pop()!.split('.')[3]));
  const reasons = new Map<string, string>();
  const errEntries = await readdir(h.errDir).catch(() => [] as string[]);
  for (const f of errEntries.filter((n) => n.endsWith('.err.json'))) {
    try {
      const r = JSON.parse(await readFile(join(h.errDir, f), 'utf8')) as { source: string; reason: string; file: string };
      if (errEntries.includes(r.file)) reasons.set(r.source, r.reason); // a reason counts only beside its file
    } catch {
      reasons.set(f, '');
    }
  }
  const unaccounted: string[] = [];
  const unclear: string[] = [];
  for (const [name, f] of files) {
    const hash = createHash('md5').update(f.dbmsTable).update(f.content).digest('hex');
    const ingested = recorded.has(hash) && archivedHashes.has(hash);
    const failed = reasons.has(name);
    // A bad file must be in the error directory (its bytes may be recorded by the file it duplicates); a good one
    // recorded and archived, and not in the error directory.
    if (f.cause && !failed) unaccounted.push(`${name}: not in the error directory${ingested ? ' (ingested)' : ''}`);
    else if (!f.cause && (!ingested || failed)) unaccounted.push(`${name}: ${failed ? `in the error directory (${reasons.get(name)})` : 'nowhere'}`);
    if (failed) {
      const reason = reasons.get(name)!;
      if (!reason.includes(name) || (f.cause && !f.cause.test(reason))) unclear.push(`${name}: ${reason}`);
    }
  }
  const temporaries = (await walk(h.data)).filter((f) => /\.tmp-\d+$/.test(f));
  return { unaccounted, unclear, reasons, temporaries };
}

/** Rows of test.<table> and how many ids appear more than once. */
export function rowCounts(h: OperatorHome, table: string, idColumn = 'id'): { rows: number; distinct: number } {
  const db = new Database(join(h.data, 'dbms', 'test.dbms'), { readonly: true });
  try {
    const exists = db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(table);
    if (!exists) return { rows: 0, distinct: 0 };
    const r = db.prepare(`select count(*) n, count(distinct ${idColumn}) d from ${table}`).get() as { n: number; d: number };
    return { rows: r.n, distinct: r.d };
  } finally {
    db.close();
  }
}

export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}
