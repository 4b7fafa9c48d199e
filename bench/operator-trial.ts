// One trial of the operator benchmark, in its own process so its memory is its own:
//   node --import tsx bench/operator-trial.ts raw|operator <files> <rows per file> [threads]
// Prints one JSON line: rows, seconds, rows_per_s, peak_rss_mb.
// Both modes first warm up on one file of the same shape into another table (JIT, page cache), as a node that has
// been running is; the timed part is the same rows into the same table for both.
import Database from 'better-sqlite3';
import { mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EdgeNode } from '../electron/services/node.js';
import { sqliteStatements } from '../electron/services/dbms/ddl.js';
import { genericDdl, inferColumns } from '../electron/services/operator/schema.js';

const [mode, filesArg, rowsArg, threadsArg = '1'] = process.argv.slice(2);
const threads = Number(threadsArg);
const files = Number(filesArg);
const rowsPerFile = Number(rowsArg);
const total = files * rowsPerFile;

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);

function row(f: number, i: number): { timestamp: string; device: string; value: number; temp: number; ok: boolean } {
  const t = new Date(Date.UTC(2024, 4, 1) + (f * rowsPerFile + i) * 1000).toISOString();
  return { timestamp: t, device: `d${i % 97}`, value: i % 100_000, temp: Math.round(((i * 7) % 4000) / 10 + 0.5) / 1, ok: i % 3 === 0 };
}

async function raw(dir: string): Promise<number> {
  const db = new Database(join(dir, 'raw.dbms'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const data = Array.from({ length: files }, (_, f) => Array.from({ length: rowsPerFile }, (_, i) => row(f, i)));
  // The same table the operator creates for these rows (its DDL, with EdgeLake's indexes on the timestamp, the
  // tsd ids and insert_timestamp): the raw limit inserts the same rows into the same table.
  const insert = (table: string, batches: ReturnType<typeof row>[][]) => {
    for (const s of sqliteStatements(genericDdl(table, inferColumns(batches[0]!), true))) db.exec(s);
    const stmt = db.prepare(`insert into ${table} (insert_timestamp, tsd_name, tsd_id, timestamp, device, value, temp, ok) values (?, ?, ?, ?, ?, ?, ?, ?)`);
    const now = new Date().toISOString();
    db.transaction(() => {
      for (const rows of batches) for (const r of rows) stmt.run(now, '0', 0, r.timestamp, r.device, r.value, r.temp, r.ok ? 1 : 0);
    })();
  };
  insert('warmup', [Array.from({ length: 5000 }, (_, i) => row(files, i))]);
  const t0 = process.hrtime.bigint();
  insert('readings', data);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  db.close();
  return seconds;
}

async function operator(dir: string): Promise<number> {
  const node = new EdgeNode({ home: dir, ip: '127.0.0.1' });
  await node.start();
  await writeFile(node.dictionary.get('blockchain_file')!, '{"operator": {"name": "bench", "company": "c", "ip": "127.0.0.1", "port": 32048, "cluster": "c1", "id": "benchpolicy", "member": 1}}\n');
  for (const c of ['connect dbms almgm where type = sqlite', 'connect dbms test where type = sqlite', 'create table tsd_info where dbms = almgm', `run operator where policy = benchpolicy and update_tsd_info = true and threads = ${threads}`]) {
    const r = await node.execute(c);
    if (r.code !== 0) throw new Error(`${c}: ${r.text}`);
  }
  // Files are written outside the watch directory, then moved in (as a producer would), so writing is not timed.
  const staging = join(dir, 'staging');
  await (await import('node:fs/promises')).mkdir(staging);
  const names: string[] = [];
  for (let f = 0; f < files; f++) {
    const name = `test.readings.dev${f}.json`;
    await writeFile(join(staging, name), Array.from({ length: rowsPerFile }, (_, i) => JSON.stringify(row(f, i))).join('\n'));
    names.push(name);
  }
  const watch = node.dictionary.get('watch_dir')!;
  await writeFile(join(staging, 'test.warmup.dev.json'), Array.from({ length: 5000 }, (_, i) => JSON.stringify(row(files, i))).join('\n'));
  await rename(join(staging, 'test.warmup.dev.json'), join(watch, 'test.warmup.dev.json'));
  for (let spins = 0; (await readdir(watch)).length > 0; spins++) {
    if (spins > 60_000) throw new Error('the warm-up file was not ingested');
    await new Promise((r) => setTimeout(r, 5));
  }
  const t0 = process.hrtime.bigint();
  for (const name of names) await rename(join(staging, name), join(watch, name));
  // Done when every row is queryable, every file is in tsd_info and the watch directory is empty.
  for (let spins = 0; ; spins++) {
    if (spins > 600_000) throw new Error('operator benchmark did not finish');
    // The cheap check first: counting rows on the node's own cores while it ingests would slow what is measured.
    if ((await readdir(watch)).length > 0) {
      await new Promise((r) => setTimeout(r, 5));
      continue;
    }
    const rows = await node.execute('sql test format = json and stat = false "select count(*) from readings"');
    const n = rows.code === 0 ? Number(Object.values((rows.json as { Query: Record<string, unknown>[] }).Query[0]!)[0]) : 0;
    const tsd = await node.execute('sql almgm format = json and stat = false "select count(*) from tsd_info where rows > 0"');
    const t = Number(Object.values((tsd.json as { Query: Record<string, unknown>[] }).Query[0]!)[0]);
    if (n === total && t === files + 1) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const archived = (await readdir(node.dictionary.get('archive_dir')!, { recursive: true })).filter((f) => String(f).endsWith('.gz')).length;
  if (archived !== files + 1) throw new Error(`archive holds ${archived} files, expected ${files + 1}`);
  await node.stop();
  return seconds;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), `edgelake-bench-${mode}-`));
  const seconds = mode === 'raw' ? await raw(dir) : await operator(dir);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  await rm(dir, { recursive: true, force: true });
  console.log(JSON.stringify({ mode, threads, files, rows: total, seconds: Number(seconds.toFixed(3)), rows_per_s: Math.round(total / seconds), peak_rss_mb: Math.round(peak / 1024 / 1024) }));
}

// No top-level await: the benchmark runs this file bundled as CommonJS.
main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
