// The operator on a real node, as a user drives it: run operator, files dropped into !watch_dir, get operator.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { EdgeNode } from '../node.js';

const OPERATOR_POLICY =
  '{"operator": {"name": "operator-O", "company": "My Company", "ip": "127.0.0.1", "port": 32280, "rest_port": 32281, "cluster": "4c323938146b4662b5c8961346322530", "id": "661a6fd9374f7a02b260cfcfd1ded312", "date": "2026-11-23T00:38:40.061254Z", "member": 57, "ledger": "global"}}\n';

let home: string;
let node: EdgeNode;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function count(sql: string): Promise<number> {
  const r = await node.execute(`sql test format = json and stat = false "${sql}"`);
  return Number(Object.values((r.json as { Query: Record<string, unknown>[] }).Query[0]!)[0]);
}

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'edgelake-operator-'));
  node = new EdgeNode({ home, ip: '127.0.0.1' });
  await node.start();
  await writeFile(node.dictionary.get('blockchain_file')!, OPERATOR_POLICY);
  for (const c of ['connect dbms almgm where type = sqlite', 'connect dbms test where type = sqlite', 'create table tsd_info where dbms = almgm']) {
    assert.equal((await node.execute(c)).code, 0, c);
  }
});
after(async () => {
  await node.stop();
  await rm(home, { recursive: true, force: true });
});

test('run operator refuses a policy that is not in the ledger, and unknown options', async () => {
  const missing = await node.execute('run operator where policy = abc');
  assert.equal(missing.code, 113);
  assert.match(missing.detail!, /Missing Operator policy with ID 'abc'/);
  const unknown = await node.execute('run operator where policy = 661a6fd9374f7a02b260cfcfd1ded312 and archiv = true');
  assert.equal(unknown.code, 2);
  assert.match(unknown.detail!, /Unknown key 'archiv'.*did you mean 'archive'/);
});

test('files dropped into the watch directory are ingested, tracked, archived; bad ones land in the error directory', async () => {
  const watch = node.dictionary.get('watch_dir')!;
  // A file already waiting before the operator starts is processed first.
  await writeFile(join(watch, 'test.readings.json'), '{"timestamp":"2024-05-01T10:00:00Z","device":"d1","value":10}\n{"timestamp":"2024-05-01T10:01:00Z","device":"d2","value":11}\n');
  const r = await node.execute('run operator where policy = 661a6fd9374f7a02b260cfcfd1ded312 and update_tsd_info = true and master_node = 127.0.0.1:32270');
  assert.equal(r.code, 0, r.text);
  const operator = node.processes.list().find((p) => p.name === 'Operator')!;
  assert.equal(operator.status, 'Running');
  assert.equal(operator.details, 'Cluster Member: True, Using Master: 127.0.0.1:32270, Threads Pool: 1');
  assert.equal((await node.execute('run operator where policy = 661a6fd9374f7a02b260cfcfd1ded312')).code, 136);

  await writeFile(join(watch, 'test.readings.dev7.json'), '{"timestamp":"2024-05-02T11:00:00Z","device":"d3","value":30}\n');
  await writeFile(join(watch, 'test.broken.json'), '{"a": 1}\n{oops\n');
  await writeFile(join(watch, 'nonsense.json'), '{"a": 1}');
  await waitFor('the files to be processed', async () => ((await readdir(watch)).length === 0 ? true : undefined));
  await node.operator.drained();

  assert.equal(await count('select count(*) from readings'), 3);
  assert.equal(await count('select count(distinct tsd_id) from readings'), 2);
  const tsd = await node.execute('sql almgm format = json and stat = false "select table_name, source, rows from tsd_info order by file_id"');
  assert.deepEqual((tsd.json as { Query: unknown[] }).Query, [
    { table_name: 'readings', source: '0', rows: 2 },
    { table_name: 'readings', source: 'dev7', rows: 1 },
  ]);
  const errors = (await readdir(node.dictionary.get('err_dir')!)).sort();
  assert.deepEqual(errors, ['nonsense.json', 'nonsense.json.err.json', 'test.broken.json', 'test.broken.json.err.json']);
  assert.match(await readFile(join(node.dictionary.get('err_dir')!, 'test.broken.json.err.json'), 'utf8'), /line 2 is not valid JSON/);

  const summary = await node.execute('get operator summary where format = json');
  const s = summary.json as Record<string, unknown>;
  assert.equal(s.status, 'Active');
  assert.equal(s['total rows'], 3);
  assert.equal(s['total errors'], 2);
  const config = await node.execute('get operator config');
  assert.match(config.text, /^\r\n\nStats: OPERATOR CONFIG\r\nStatus Operational time Timestamp +Member Policy +Cluster +\r\n/);
  assert.match(config.text, /\| {4}57\|661a6fd9374f7a02b260cfcfd1ded312\|4c323938146b4662b5c8961346322530\|/);
  const plain = await node.execute('get operator');
  assert.match(plain.text, /Stats: OPERATOR JSON\r\nDBMS Table +Files Immediate Timestamp +Elapsed_time \r\n/);
  assert.match(plain.text, /\r\ntest\|readings\| +2\| +0\|/);
  assert.match(plain.text, /\r\nJSON Errors\| +2\|/);
});

test('the tsd commands show what was recorded, the errors with their reasons, and the archive', async () => {
  const details = await node.execute('get tsd details');
  assert.match(details.text, /^\r\n\nInfo on TSD Table: tsd_info \(tsd_57\)\r\nID DBMS Table +Source Hash +Instructions Date +Rows Status 1 Status 2 \r\n/);
  assert.match(details.text, /\r\n 2\|test\|readings\|dev7 {2}\|[0-9a-f]{32}\| {11}0\|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\| {3}1\| {8}\| {8}\|\r\n/);
  const json = (await node.execute('get tsd details where format = json and limit = 1')).json as { tsd_info: Record<string, string>[] };
  assert.equal(json.tsd_info.length, 1);
  assert.deepEqual(Object.keys(json.tsd_info[0]!), ['ID', 'DBMS', 'Table', 'Source', 'Hash', 'Instructions', 'Date', 'Rows', 'Status 1', 'Status 2']);
  assert.equal(json.tsd_info[0]!.Rows, '1');
  const hash = json.tsd_info[0]!.Hash!;
  assert.equal(((await node.execute(`time file get ${hash} where format = json`)).json as { tsd_info: unknown[] }).tsd_info.length, 1);
  assert.equal((await node.execute('get tsd summary where format = json')).text, '{"test.readings": {"files": 2, "rows": 3}}\r\n');
  const summary = (await node.execute('time file summary')).text;
  assert.match(summary, /\r\n\nTotal all TSD Tables\r\nDBMS Table +Files Count Total Rows \r\n/);
  const errors = (await node.execute('get tsd errors where format = json')).json as { file: string; code: number; reason: string }[];
  assert.deepEqual(errors.map((e) => [e.file, e.code]), [['nonsense.json', 119], ['test.broken.json', 67]]);
  assert.match((await node.execute('time file errors')).text, /test\.broken\.json\| +67\|Failed to analyze JSON file +\|test\.broken\.json: line 2 is not valid JSON/);
  assert.equal((await node.execute('get tsd list')).text, '\r\ntsd_info\r\n\r\n');
  const day = (await node.execute('get directories !archive_dir')).text.trim().split('\r\n')[0]!;
  assert.match(day, /\/EdgeLake\/data\/archive\/\d\d$/);
  const years = day.split('/').pop()!;
  const files = (await node.execute(`get files !archive_dir/${years}`)).text;
  assert.match(files, /^No files with path provided: '.*\/archive\/\d\d\/'\r\n$/);
  const bad = await node.execute('get tsd details where table = readings');
  assert.equal(bad.code, 28);
  const hashFile = join(home, 'sample.json');
  await writeFile(hashFile, '{"a": 1}\n');
  assert.equal((await node.execute(`file hash ${hashFile}`)).text, `${createHash('md5').update('{"a": 1}\n').digest('hex')}\r\n`);
});

/** Drops files into the watch directory and waits until the operator has taken every one. */
async function ingest(files: Record<string, string>): Promise<void> {
  const watch = node.dictionary.get('watch_dir')!;
  for (const [name, content] of Object.entries(files)) await writeFile(join(watch, name), content);
  await waitFor('the files to be processed', async () => ((await readdir(watch)).length === 0 ? true : undefined));
  await node.operator.drained();
}

async function errorReason(file: string): Promise<string> {
  return (JSON.parse(await readFile(join(node.dictionary.get('err_dir')!, `${file}.err.json`), 'utf8')) as { reason: string }).reason;
}

test('keys that are SQL words or start with a symbol become quoted columns; a key without a column fails the file', async () => {
  const keys = { group: 1, order: 2, values: 3, from: 4, select: 5, table: 6, '@timestamp': '2024-05-01T10:00:00Z', '%rh': 40.5, '°C': 21.5, '#count': 7, '"': 'q' };
  await ingest({
    'test.oddkeys.json': `${JSON.stringify(keys)}\n${JSON.stringify({ ...keys, group: 11 })}\n`,
    'test.nokey.json': '{"v": 1, "": 2}\n',
    'test.twice.json': '{"Temp": 1, "temp": 2}\n',
  });
  const odd = await node.execute('sql test format = json and stat = false "select * from oddkeys order by row_id"');
  assert.equal(odd.code, 0, odd.text);
  const first = (odd.json as { Query: Record<string, unknown>[] }).Query[0]!;
  assert.deepEqual(
    Object.fromEntries(['group', 'order', 'values', 'from', 'select', 'table', '0x40timestamp', '0x25rh', '0xb0c', '0x23count', '0x22'].map((c) => [c, first[c]])),
    { group: 1, order: 2, values: 3, from: 4, select: 5, table: 6, '0x40timestamp': '2024-05-01T10:00:00Z', '0x25rh': 40.5, '0xb0c': 21.5, '0x23count': 7, '0x22': 'q' },
  );
  assert.equal(await count('select count(*) from oddkeys'), 2);
  assert.match(await errorReason('test.nokey.json'), /row 1: attribute "" has no column name/);
  assert.match(await errorReason('test.twice.json'), /row 1: attributes "Temp" and "temp" both map to column 'temp'/);
});

test('integers beyond 2^53 are stored and read exactly; numbers that would change fail the file naming row and attribute', async () => {
  await ingest({
    'test.bignums.json': '{"n": 1, "id": 9007199254740993}\n{"n": 2, "id": 9223372036854775807}\n{"n": 3, "id": -9223372036854775808}\n',
    'test.huge.json': '{"v": 1}\n{"v": 1e400}\n',
    'test.tiny.json': '{"v": 1e-400}\n',
    'test.wide.json': '{"v": 18446744073709551616}\n',
  });
  const big = await node.execute('sql test format = json and stat = false "select id, typeof(id) as t from bignums order by n"');
  assert.equal(big.text.replace(/\s+/g, ' ').trim(), '{"Query": [{"id": 9007199254740993, "t": "integer"},{"id": 9223372036854775807, "t": "integer"},{"id": -9223372036854775808, "t": "integer"}]}');
  assert.match(await errorReason('test.huge.json'), /row 2, attribute 'v': 1e400 is beyond the range of a float/);
  assert.match(await errorReason('test.tiny.json'), /row 1, attribute 'v': 1e-400 is too small for a float/);
  assert.match(await errorReason('test.wide.json'), /row 1, attribute 'v': 18446744073709551616 is an integer beyond 64 bits/);
});

test('time file new, update, rename, delete and drop manage tsd_info rows directly', async () => {
  const file = join(home, 'lab.samples.p1.json');
  await writeFile(file, '{"ph": 7.1}');
  const id = (await node.execute(`time file new ${file} sent pending`)).text.trim();
  assert.match(id, /^\d+$/);
  const hash = createHash('md5').update('lab.samples').update('{"ph": 7.1}').digest('hex');
  const row = () => node.execute(`get tsd details where hash = ${hash} and format = json`).then((r) => (r.json as { tsd_info: Record<string, string>[] }).tsd_info[0]);
  assert.deepEqual([(await row())!['Status 1'], (await row())!['Status 2']], ['sent', 'pending']);
  assert.equal((await node.execute(`time file update ${hash} delivered`)).code, 0);
  assert.equal((await row())!['Status 1'], 'delivered');
  assert.equal((await node.execute('time file update 00000000000000000000000000000000')).code, 3);
  const renamed = (await node.execute(`time file rename ${file} to dbms = lab and table = samples and source = p9`)).text.trim();
  assert.equal(renamed, join(home, `lab.samples.p9.${hash}.0.json`));
  assert.equal((await node.execute(`time file delete ${id} from tsd_info`)).code, 0);
  assert.equal(await row(), undefined);
  assert.match((await node.execute('time file drop nosuchtable')).text, /^0 rows deleted/);
});

test("rows a stream writes through the running operator's core are immediate inserts; files stay batch inserts", async () => {
  const inserts = async () => ((await node.execute('get operator inserts where format = json')).json as Record<string, Record<string, string[]>>).test!.readings!;
  const [batch, immediate] = (await inserts()).slice(4, 6);
  assert.equal(immediate, '0', 'files alone: no immediate insert');
  const rows = [
    { timestamp: '2024-05-04T10:00:00Z', device: 'm1', value: 1 },
    { timestamp: '2024-05-04T10:00:01Z', device: 'm2', value: 2 },
  ];
  const written = await node.operator.writeRows({ dbms: 'test', table: 'readings', rows, origin: 'mqtt', source: 'plant/line1' });
  assert.equal(written.rows, 2);
  assert.deepEqual((await inserts()).slice(4, 6), [batch, '2']);
  assert.equal(await count("select count(*) from readings where device like 'm%'"), 2);
  assert.match((await node.execute('get operator json')).text, /\r\n(test| {4})\|readings\| +\d+\| +1\|/);
});

test('exit operator stops watching: a new file stays in the watch directory', async () => {
  assert.equal((await node.execute('exit operator')).code, 0);
  assert.equal(node.processes.list().find((p) => p.name === 'Operator')!.status, 'Not declared');
  const watch = node.dictionary.get('watch_dir')!;
  await writeFile(join(watch, 'test.readings.later.json'), '{"timestamp":"2024-05-03T10:00:00Z","device":"d9","value":1}\n');
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(await readdir(watch), ['test.readings.later.json']);
  assert.match((await node.execute('get operator config')).text, /Not Active/);
});

test('rows from a stream are refused while the operator is not running', async () => {
  await assert.rejects(node.operator.writeRows({ dbms: 'test', table: 'readings', rows: [{ value: 1 }], origin: 'rest', source: '10.0.0.9' }), (e: { code: number }) => e.code === 192);
});

test('get operator pool and get watch directories as EdgeLake prints them (get-operator-pool.txt, get-watch-directories.txt)', async () => {
  const watch = node.dictionary.get('watch_dir')!;
  assert.equal((await node.execute('get operator pool')).text, 'Operator Pool is not declared\r\n', 'the operator was stopped above');
  assert.equal((await node.execute('get watch directories')).text, '[]\r\n');
  assert.equal((await node.execute('run operator where policy = 661a6fd9374f7a02b260cfcfd1ded312 and threads = 2')).code, 0);
  assert.equal((await node.execute('get watch directories')).text, `[${watch}/]\r\n`);
  const pool = (await node.execute('get operator pool')).text;
  assert.match(pool, /^Operator Pool with \d+ threads: +\[[01](, [01])*\] \(\d+\)\r\n$/);
  assert.equal(pool.indexOf('['), 60);
  await node.execute('exit operator');
});

test('file_type = json: a .sql file is not run; it goes to the error directory naming file_type', async () => {
  assert.equal((await node.execute('run operator where policy = 661a6fd9374f7a02b260cfcfd1ded312 and file_type = json')).code, 0);
  try {
    await writeFile(join(node.dictionary.get('watch_dir')!, 'test.ftype.sql'), 'insert into ftype (a) values (1);\n');
    const errDir = node.dictionary.get('err_dir')!;
    const reason = await waitFor('the .sql file in the error directory', async () => {
      try {
        return JSON.parse(await readFile(join(errDir, 'test.ftype.sql.err.json'), 'utf8')) as { reason: string; code: number };
      } catch {
        return undefined;
      }
    });
    assert.equal(reason.code, 115);
    assert.match(reason.reason, /test\.ftype\.sql: '\.sql' files are not taken by this operator \(file_type = json\)/);
    assert.equal((await node.execute('run operator where policy = x and file_type = csv')).code, 2);
  } finally {
    await node.execute('exit operator');
  }
});
