// Partitions on a running node, as the deployment scripts use them: declare, ingest files spanning days, list,
// query through the parent table, drop (by age, by keep, by name, from the scheduler) — outputs as the real node's.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EdgeNode } from '../node.js';
import { cliSections } from '../testing/transcripts.js';

const POLICY = '{"operator": {"name": "op", "company": "c", "ip": "127.0.0.1", "port": 32248, "cluster": "c1", "id": "parpolicy", "member": 5}}\n';

let home: string;
let node: EdgeNode;

const cli = async (command: string) => (await node.execute(command)).text;

async function ingest(name: string, lines: object[]): Promise<void> {
  const watch = node.dictionary.get('watch_dir')!;
  await writeFile(join(watch, name), lines.map((l) => JSON.stringify(l)).join('\n'));
  const end = Date.now() + 20_000;
  while ((await readdir(watch)).length > 0) {
    if (Date.now() > end) throw new Error(`${name} was not ingested`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await node.operator.drained();
}

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  const r = await node.execute(`sql test format = json and stat = false "${sql}"`);
  assert.equal(r.code, 0, r.text);
  return (r.json as { Query: Record<string, unknown>[] }).Query;
}

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'edgelake-partitions-'));
  node = new EdgeNode({ home, ip: '127.0.0.1', schedulerTickMs: 50 });
  await node.start();
  await writeFile(node.dictionary.get('blockchain_file')!, POLICY);
  for (const c of ['connect dbms almgm where type = sqlite', 'connect dbms test where type = sqlite', 'create table tsd_info where dbms = almgm', 'run operator where policy = parpolicy and update_tsd_info = true and threads = 2']) {
    assert.equal((await node.execute(c)).code, 0, c);
  }
});
after(async () => {
  await node.stop();
  await rm(home, { recursive: true, force: true });
});

test('partition declares, get partitions shows the declaration as the real node prints it', async () => {
  assert.equal(await cli('get partitions'), 'No partitions declared\r\n');
  const [declare, list] = cliSections('partition.txt');
  assert.equal(await cli(declare!.command), declare!.output);
  assert.equal(await cli(list!.command), list!.output);
  assert.equal(await cli(cliSections('get-partitions-where-format-json.txt')[0]!.command), cliSections('get-partitions-where-format-json.txt')[0]!.output);
  const week = await node.execute('partition test * using timestamp by week');
  assert.equal(week.code, 2);
  assert.match(week.detail!, /use '7 days'/);
  assert.equal((await node.execute('partition test * using timestamp by 2 fortnights')).code, 2);
});

test('rows go to one partition per day; the parent stays empty and a query on it reads every partition', async () => {
  await ingest('test.readings.d1.json', [
    { timestamp: '2024-05-01T10:00:00Z', value: 1 },
    { timestamp: '2024-05-01T23:59:59Z', value: 2 },
    { timestamp: '2024-05-02T00:00:00Z', value: 3 },
  ]);
  await ingest('test.readings.d2.json', [{ timestamp: '2024-05-02T08:00:00Z', value: 4 }]);
  const tables = (await node.databases.get('test').tables()).filter((t) => t.includes('readings'));
  assert.deepEqual(tables, ['par_readings_2024_05_01_d01_timestamp', 'par_readings_2024_05_02_d01_timestamp', 'readings']);
  assert.deepEqual(await rows('select count(*) as n, sum(value) as total from readings'), [{ n: 4, total: 10 }]);
  assert.equal((await node.execute('drop table nosuch where dbms = test')).code, 5);
  await node.databases.get('test').run('create table dropme (a int)');
  assert.equal((await node.execute('drop table dropme where dbms = test')).code, 0);
  assert.ok(!(await node.databases.get('test').tables()).includes('dropme'));
  // get rows count lists a partitioned table's partitions, as the real node printed it (get-rows-count-where-...txt).
  assert.equal(
    (await node.execute('get rows count where dbms = test and table = readings')).text,
    '\r\nDBMS Name Table Name                            Rows Count \r\n---------|-------------------------------------|----------|\r\ntest     |par_readings_2024_05_01_d01_timestamp|         2|\r\n         |par_readings_2024_05_02_d01_timestamp|         2|\r\n\r\n',
  );
  assert.deepEqual(await rows('select value from readings where timestamp >= \'2024-05-02\' order by value'), [{ value: 3 }, { value: 4 }]);
  // The parent is empty; each partition carries the parent's indexes.
  const parent = await node.databases.get('test').query('select count(*) from readings');
  assert.equal(parent.rows[0]![0], 0);
  const indexes = await node.databases.get('test').query("select name from sqlite_master where type = 'index' and tbl_name = 'par_readings_2024_05_01_d01_timestamp' order by name");
  assert.ok(indexes.rows.some(([n]) => n === 'par_readings_2024_05_01_d01_timestamp_timestamp_index'), JSON.stringify(indexes.rows));
  const tsd = await node.execute('sql almgm format = json and stat = false "select sum(rows) as n from tsd_info"');
  assert.deepEqual((tsd.json as { Query: unknown[] }).Query, [{ n: 4 }]);

  const [info] = cliSections('info-table-test-readings-partitions.txt');
  assert.equal(await cli(info!.command), info!.output.replace(/\rEL > $/, ''));
  assert.equal(await cli('info table test readings partitions count'), '2\r\n');
  assert.equal(await cli('info table test readings partitions last'), 'par_readings_2024_05_02_d01_timestamp\r\n');
  assert.match(await cli('get partitions where dbms = test and table = readings'), /Partition Name +Start Date End Date +\r\n-+\|-+\|-+\|\r\npar_readings_2024_05_01_d01_timestamp\|2024-05-01\|2024-05-01\|/);
  const other = await node.execute('info table test other partitions');
  assert.equal(other.code, 29, 'test.* covers every table of test: declared, but no partition yet');
  assert.match(other.detail!, /No partitions found on dbms 'test' and table 'other'/);
  assert.equal((await node.execute('info table almgm tsd_info partitions')).code, 82);
});

test('a file with a row that cannot be placed fails whole: no row and no partition of it remain', async () => {
  const watch = node.dictionary.get('watch_dir')!;
  const before = await node.databases.get('test').tables();
  await writeFile(join(watch, 'test.readings.bad.json'), '{"timestamp": "2024-05-04T00:00:00Z", "value": 5}\n{"timestamp": "soon", "value": 6}\n');
  await ingest('test.readings.ok.json', [{ timestamp: '2024-05-03T09:00:00Z', value: 7 }]);
  const end = Date.now() + 10_000;
  while (!(await readdir(node.dictionary.get('err_dir')!)).includes('test.readings.bad.json') && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  const after = await node.databases.get('test').tables();
  assert.deepEqual(after.filter((t) => !before.includes(t)), ['par_readings_2024_05_03_d01_timestamp'], 'only the good file made a partition');
  assert.deepEqual(await rows('select count(*) as n from readings'), [{ n: 5 }]);
  const errors = (await node.execute('get tsd errors where format = json')).json as { file: string; reason: string }[];
  assert.match(errors.find((e) => e.file === 'test.readings.bad.json')!.reason, /row 2, attribute 'timestamp': value "soon"/);
});

test('get operator shows JSON files per table, the SQL section per partition and the four-element JSON as EdgeLake', async () => {
  const plain = await cli('get operator');
  const captured = cliSections('get-operator.txt')[0]!.output;
  // The same sections, titles and column headers as the real node's (values differ: other files, other times).
  const heads = (t: string) => t.split(/\r?\n/).filter((l) => l.startsWith('Stats:') || /^[A-Z][A-Za-z_. ]+ $/.test(l)).map((l) => l.replace(/ +/g, ' '));
  assert.deepEqual(heads(plain), heads(captured));
  assert.equal(heads(plain).length, 8);
  assert.match(plain, /Stats: OPERATOR JSON\r\n.*\r\n.*\r\ntest\|readings\| +3\| +0\|\d{10}\|\d\d:\d\d:\d\d +\|\r\n/);
  assert.match(plain, /\r\ntest\|readings\.2024_05_01_d01_timestamp\| +1\|/);
  assert.match(plain, /\r\n +\|readings\.2024_05_02_d01_timestamp\| +2\|/);
  assert.match(plain, /\r\nJSON Errors\| +1\|\d{10}\|/);
  const json = (await node.execute('get operator where format = json')).json as [Record<string, Record<string, string[]>>, Record<string, Record<string, string[]>>, Record<string, Record<string, string[]>>, Record<string, unknown>[]];
  assert.equal(json.length, 4);
  assert.deepEqual(json[0].test!.readings!.slice(0, 2), ['3', '0']);
  assert.deepEqual(Object.keys(json[1].test!), ['readings.2024_05_01_d01_timestamp', 'readings.2024_05_02_d01_timestamp', 'readings.2024_05_03_d01_timestamp']);
  assert.equal(json[2].test!.readings!.length, 7);
  assert.equal(json[2].test!.readings![4], '5');
  assert.deepEqual(Object.keys(json[3][0]!), ['type', 'counter', 'timestamp', 'elapsed time', 'dbms name', 'table name', 'last error', 'last error text']);
  assert.deepEqual([json[3][0]!.type, json[3][0]!.counter, json[3][0]!['last error']], ['JSON Errors', 1, 27]);
  assert.match(await cli('get operator sql'), /^\r\n\nStats: OPERATOR SQL\r\n/);
});

test('drop partition: the oldest, never the only one, by name, and keep = n from the scheduler', async () => {
  const sections = cliSections('drop-partition.txt');
  const tables = async () => (await node.databases.get('test').tables()).filter((t) => t.startsWith('par_readings'));
  assert.equal((await tables()).length, 3);
  assert.equal(await cli('drop partition where dbms = test and table = readings'), sections[1]!.output);
  assert.deepEqual(await tables(), ['par_readings_2024_05_02_d01_timestamp', 'par_readings_2024_05_03_d01_timestamp']);
  assert.deepEqual(await rows('select count(*) as n from readings'), [{ n: 3 }], 'the rows of 05-01 went with their partition');

  // keep = 1 from the scheduler, as the deployment script schedules it.
  assert.equal((await node.execute('run scheduler 1')).code, 0);
  assert.equal((await node.execute('schedule time = 1 day and name = "Drop Partitions" task drop partition where dbms = test and table = readings and keep = 1')).code, 0);
  const end = Date.now() + 10_000;
  while ((await tables()).length > 1 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(await tables(), ['par_readings_2024_05_03_d01_timestamp']);
  assert.match(await cli('get scheduler 1'), /Drop Partitions\| +1\|Success/);

  const refused = await cli('drop partition where dbms = test and table = readings');
  assert.ok(refused.startsWith(sections[3]!.output), refused);
  assert.equal(await cli('drop partition par_readings_2024_05_03_d01_timestamp where dbms = test and table = readings'), sections[4]!.output);
  const missing = await cli('get partitions where dbms = test and table = readings');
  assert.ok(missing.startsWith(sections[5]!.output), missing);
  assert.match(await cli('get partitions dropped'), /test\.readings : \['par_readings_2024_05_01_d01_timestamp', 'par_readings_2024_05_02_d01_timestamp', 'par_readings_2024_05_03_d01_timestamp'\]/);
});
