// `npm run bench:tsd` (issue 4): fills tsd_info with 1,000,000 rows and times the TSD Info panel's page query
// (filter + sort + page of 100) through the same handler the panel uses. Target: under 100 ms per page.
// Baseline in the same run: the bare `select ... order by file_id desc limit 100` on the same table.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryTsd } from '../electron/services/console-api/tsd.js';
import { EdgeNode } from '../electron/services/node.js';

const ROWS = Number(process.env.TSD_ROWS ?? 1_000_000);
const home = await mkdtemp(join(tmpdir(), 'edgelake-bench-tsd-'));
const node = new EdgeNode({ home, ip: '127.0.0.1' });
await node.start();
await node.execute('connect dbms almgm where type = sqlite');
await node.execute('create table tsd_info where dbms = almgm');
const db = node.databases.get('almgm');

const tables = ['readings', 'events', 'samples', 'logs', 'power'];
const t0 = Date.UTC(2026, 0, 1);
const BATCH = 50_000;
const fillStart = performance.now();
for (let start = 0; start < ROWS; start += BATCH) {
  const rows = Array.from({ length: Math.min(BATCH, ROWS - start) }, (_, k) => {
    const i = start + k;
    const time = new Date(t0 + i * 30_000).toISOString().replace('T', ' ').replace('Z', '000');
    return [tables[i % 5], tables[i % 5] === 'logs' ? 'sys' : 'test', `dev${i % 1000}`, i.toString(16).padStart(32, '0'), '0', time, (i * 7) % 5000, '', ''];
  });
  await db.transaction((tx) => tx.insertMany('tsd_info', ['table_name', 'dbms_name', 'source', 'file_hash', 'instructions', 'file_time', 'rows', 'status1', 'status2'], rows));
}
const fillSeconds = (performance.now() - fillStart) / 1000;

async function time(label: string, run: () => Promise<unknown>): Promise<number> {
  await run(); // warm
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    await run();
    samples.push(performance.now() - s);
  }
  samples.sort((a, b) => a - b);
  const median = samples[2]!;
  console.log(`${label}: median ${median.toFixed(1)} ms`);
  return median;
}

const baseline = await time('baseline: select ... order by file_id desc limit 100', () => db.query('select * from tsd_info order by file_id desc limit 100'));
const cases: [string, Parameters<typeof queryTsd>[1]][] = [
  ['page 1, newest first', { sort: 'id', direction: 'desc', page: 0, pageSize: 100 }],
  ['table filter + sort by rows', { table: 'events', sort: 'rows', direction: 'desc', page: 0, pageSize: 100 }],
  ['date range + table, page 20', { table: 'readings', from: '2026-03-01', to: '2026-06-01', sort: 'date', direction: 'asc', page: 20, pageSize: 100 }],
  ['file name search', { search: 'dev42', sort: 'id', direction: 'desc', page: 0, pageSize: 100 }],
];
const results: Record<string, number> = {};
for (const [label, q] of cases) results[label] = await time(label, () => queryTsd(node, q));
const worst = Math.max(...Object.values(results));
console.log(`filled ${ROWS.toLocaleString('en-US')} rows in ${fillSeconds.toFixed(1)} s; worst page ${worst.toFixed(1)} ms = ${(worst / baseline).toFixed(1)}x the bare query`);
console.log(JSON.stringify({ rows: ROWS, worst_page_ms: Number(worst.toFixed(1)), baseline_ms: Number(baseline.toFixed(1)), ratio: Number((worst / baseline).toFixed(2)), pages_ms: results }));
await node.stop();
await rm(home, { recursive: true, force: true });
