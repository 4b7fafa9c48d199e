// The operator with several ingestion workers (`threads = 2`): many files at once into one table, files with the
// same bytes dropped together, a database that lives in memory (ingested on the operator's own thread), and a file
// written in place slowly (waited for, not failed).
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EdgeNode } from '../node.js';

const POLICY = '{"operator": {"name": "op", "company": "c", "ip": "127.0.0.1", "port": 32148, "cluster": "c1", "id": "threadspolicy", "member": 3}}\n';

let home: string;
let node: EdgeNode;
let watch: string;

async function until(what: string, probe: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function scalar(dbms: string, sql: string): Promise<unknown> {
  const r = await node.execute(`sql ${dbms} format = json and stat = false "${sql}"`);
  assert.equal(r.code, 0, r.text);
  return Object.values((r.json as { Query: Record<string, unknown>[] }).Query[0]!)[0];
}

const line = (f: number, i: number) => JSON.stringify({ timestamp: new Date(Date.UTC(2024, 0, 1) + (f * 1000 + i) * 1000).toISOString(), device: `d${i % 7}`, value: f * 1000 + i });

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'edgelake-threads-'));
  node = new EdgeNode({ home, ip: '127.0.0.1' });
  await node.start();
  await writeFile(node.dictionary.get('blockchain_file')!, POLICY);
  for (const c of ['connect dbms almgm where type = sqlite', 'connect dbms test where type = sqlite', 'connect dbms scratch where type = sqlite and memory = true', 'create table tsd_info where dbms = almgm']) {
    assert.equal((await node.execute(c)).code, 0, c);
  }
  const r = await node.execute('run operator where policy = threadspolicy and update_tsd_info = true and threads = 2');
  assert.equal(r.code, 0, r.text);
  watch = node.dictionary.get('watch_dir')!;
});
after(async () => {
  await node.stop();
  await rm(home, { recursive: true, force: true });
});

test('twelve files at once on two workers: every row once, every file in tsd_info and the archive', async () => {
  assert.match(node.processes.list().find((p) => p.name === 'Operator')!.details, /Threads Pool: 2$/);
  const staging = join(home, 'staging');
  await (await import('node:fs/promises')).mkdir(staging);
  for (let f = 0; f < 12; f++) await writeFile(join(staging, `test.many.src${f}.json`), Array.from({ length: 500 }, (_, i) => line(f, i)).join('\n'));
  // The same bytes twice, dropped together: one is ingested, the other is its duplicate.
  const twin = Array.from({ length: 50 }, (_, i) => line(99, i)).join('\n');
  await writeFile(join(staging, 'test.many.twin.json'), twin);
  await writeFile(join(staging, 'test.many.twin.0.0.json'), twin);
  const { rename } = await import('node:fs/promises');
  for (const name of await readdir(staging)) await rename(join(staging, name), join(watch, name));
  await until('the watch directory to empty', async () => (await readdir(watch)).length === 0);
  await node.operator.drained();

  assert.equal(await scalar('test', 'select count(*) from many'), 12 * 500 + 50);
  assert.equal(await scalar('test', 'select count(distinct value) from many'), 12 * 500 + 50);
  assert.equal(await scalar('almgm', "select count(*) from tsd_info where table_name = 'many' and rows > 0"), 13);
  const errors = await readdir(node.dictionary.get('err_dir')!);
  assert.equal(errors.filter((e) => e.startsWith('test.many.twin') && !e.endsWith('.err.json')).length, 1, errors.join(', '));
  const archived = (await readdir(node.dictionary.get('archive_dir')!, { recursive: true })).filter((f) => String(f).includes('.many.') && String(f).endsWith('.gz'));
  assert.equal(archived.length, 13);
});

test('a database in memory is ingested on the operator thread', async () => {
  await writeFile(join(watch, 'scratch.notes.json'), '{"note": "a"}\n{"note": "b"}\n');
  await until('the memory file', async () => (await readdir(watch)).length === 0);
  await node.operator.drained();
  assert.equal(await scalar('scratch', 'select count(*) from notes'), 2);
});

test('a file written in place slowly is waited for, then ingested whole', async () => {
  const path = join(watch, 'test.slow.json');
  await writeFile(path, `${line(1, 1)}\n{"timestamp": "2024-01-01T00:00:0`);
  await new Promise((r) => setTimeout(r, 400));
  assert.deepEqual(await readdir(watch), ['test.slow.json'], 'a half-written file is not moved to the error directory');
  await appendFile(path, `2Z", "device": "d1", "value": 2}\n`);
  await until('the slow file', async () => (await readdir(watch)).length === 0);
  await node.operator.drained();
  assert.equal(await scalar('test', 'select count(*) from slow'), 2);
});
