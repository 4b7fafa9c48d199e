// One file through the operator pipeline, on SQLite: what lands in the table, tsd_info, the archive and the
// error directory, including the failures and a resumed file after a crash.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { DbmsAdapter } from '../dbms/adapter.js';
import { SqliteAdapter } from '../dbms/sqlite.js';
import { createTsdInfo } from '../dbms/tsd-schema.js';
import { Ingestor, type IngestOptions } from './ingest.js';

let root: string;
let watch: string;
let dbs: Map<string, DbmsAdapter>;
const at = new Date(Date.UTC(2026, 10, 23, 0, 40, 20, 123));
const OPTIONS: IngestOptions = { createTable: true, updateTsdInfo: true, archiveJson: true, compressJson: true, member: '57' };

function ingestor(options: Partial<IngestOptions> = {}, settleMs = 0) {
  return new Ingestor(
    {
      database: (name) => {
        const db = dbs.get(name);
        if (!db) throw Object.assign(new Error(`DBMS '${name}' is not connected`), {});
        return db;
      },
      now: () => at,
      settleMs,
    },
    { archiveDir: join(root, 'archive'), errDir: join(root, 'error'), bkupDir: join(root, 'bkup'), distrDir: join(root, 'distr') },
    { ...OPTIONS, ...options },
  );
}

async function drop(name: string, content: string): Promise<string> {
  const path = join(watch, name);
  await writeFile(path, content);
  return path;
}

const READINGS = '{"timestamp":"2024-05-01T10:00:00Z","device":"d1","value":10,"temp":20.5,"ok":true}\n{"timestamp":"2024-05-01T10:01:00Z","device":"d2","value":11,"temp":21.5,"ok":false}';

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'edgelake-ingest-'));
  watch = join(root, 'watch');
  await mkdir(watch);
  dbs = new Map([
    ['test', new SqliteAdapter('memory')],
    ['almgm', new SqliteAdapter('memory')],
  ]);
  await createTsdInfo(dbs.get('almgm')!);
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('a new table is created, its rows inserted with tsd ids, tsd_info records the file, the archive keeps it', async () => {
  const path = await drop('test.readings.json', READINGS);
  const out = await ingestor().process(path);
  assert.equal(out.status, 'ingested', JSON.stringify(out));
  assert.equal(out.status === 'ingested' && out.rows, 2);
  const rows = await dbs.get('test')!.query('select tsd_name, tsd_id, timestamp, device, value, temp, ok, insert_timestamp from readings order by row_id');
  assert.deepEqual(rows.rows, [
    ['57', 1, '2024-05-01T10:00:00Z', 'd1', 10, 20.5, 1, '2026-11-23T00:40:20.123000Z'],
    ['57', 1, '2024-05-01T10:01:00Z', 'd2', 11, 21.5, 0, '2026-11-23T00:40:20.123000Z'],
  ]);
  const tsd = await dbs.get('almgm')!.query('select * from tsd_info');
  const hash = out.status === 'ingested' ? out.hash : '';
  assert.deepEqual(tsd.rows, [[1, 'test', 'readings', '0', hash, '0', '2026-11-23 00:40:20.123000', 2, '', '']]);
  const archived = join(root, 'archive', '26', '11', '23', `test.readings.0.${hash}.0.57.1.261123004020.json.gz`);
  assert.equal(gunzipSync(await readFile(archived)).toString(), READINGS);
  assert.deepEqual(await readdir(watch), [], 'the watch directory is empty');
});

test('the same bytes dropped again are a duplicate: error directory, reason beside it, no row added', async () => {
  await ingestor().process(await drop('test.readings.json', READINGS));
  const renamed = await ingestor().process(await drop('test.readings.dev1.json', READINGS));
  assert.equal(renamed.status === 'failed' && renamed.code, 86, 'same bytes under another source name: still a duplicate');
  const again = await ingestor().process(await drop('test.readings.json', READINGS));
  assert.equal(again.status, 'failed');
  assert.equal(again.status === 'failed' && again.code, 86);
  const errFiles = (await readdir(join(root, 'error'))).sort();
  assert.deepEqual(errFiles, ['test.readings.dev1.json', 'test.readings.dev1.json.err.json', 'test.readings.json', 'test.readings.json.err.json']);
  const reason = JSON.parse(await readFile(join(root, 'error', 'test.readings.json.err.json'), 'utf8'));
  assert.equal(reason.code, 86);
  assert.equal(reason.error, 'Duplicate JSON File');
  assert.match(reason.reason, /duplicate of a file already ingested/);
  assert.equal(await readFile(join(root, 'error', 'test.readings.json'), 'utf8'), READINGS, 'the file is kept whole');
  assert.equal(Number((await dbs.get('test')!.query('select count(*) from readings')).rows[0]![0]), 2);
});

test('failures go to the error directory with their reason, and insert nothing', async () => {
  const cases: [string, string, number, RegExp][] = [
    ['onlyone.json', READINGS, 119, /1 segment before/],
    ['test.readings.json', '{"value": 1}\nnot json', 67, /line 2 is not valid JSON/],
    ['nodb.readings.json', READINGS, 5, /not connected/],
  ];
  for (const [name, content, code, reason] of cases) {
    const out = await ingestor().process(await drop(name, content));
    assert.equal(out.status, 'failed', name);
    if (out.status !== 'failed') continue;
    if (code !== 5) assert.equal(out.code, code, name);
    assert.match(out.reason, reason, name);
    assert.ok((await readdir(join(root, 'error'))).includes(`${name}.err.json`));
  }
  assert.deepEqual(await readdir(watch), []);
  assert.deepEqual((await dbs.get('almgm')!.query('select count(*) from tsd_info')).rows, [[0]], 'no tsd_info row is left by a failed file');
});

test('a value that does not fit an existing column fails the whole file: no row of it is inserted', async () => {
  await ingestor().process(await drop('test.readings.json', READINGS));
  const bad = '{"timestamp":"2024-05-01T11:00:00Z","device":"d3","value":12}\n{"timestamp":"2024-05-01T11:01:00Z","device":"d4","value":"lots"}';
  const out = await ingestor().process(await drop('test.readings.dev9.json', bad));
  assert.equal(out.status, 'failed');
  assert.match(out.status === 'failed' ? out.reason : '', /row 2, attribute 'value': value "lots" does not fit column 'value' of type int/);
  assert.equal(Number((await dbs.get('test')!.query('select count(*) from readings')).rows[0]![0]), 2);
});

test('a quote in a value is stored as sent (EdgeLake loses the file)', async () => {
  await ingestor().process(await drop('test.notes.json', `{"note": "it's fine; drop table notes; --", "n": 1}`));
  assert.deepEqual((await dbs.get('test')!.query('select note from notes')).rows, [["it's fine; drop table notes; --"]]);
});

test('after a crash between the data commit and the archive, the file is finished without doubling rows', async () => {
  // The state a crash leaves: tsd_info row (rows 0) and the file's rows committed, the file still in watch.
  const first = ingestor({ archiveJson: false });
  await first.process(await drop('test.readings.json', READINGS));
  await dbs.get('almgm')!.run('update tsd_info set rows = 0');
  const path = await drop('test.readings.json', READINGS);
  const out = await ingestor().process(path);
  assert.equal(out.status, 'ingested', JSON.stringify(out));
  assert.equal(out.status === 'ingested' && out.resumed, true);
  assert.equal(Number((await dbs.get('test')!.query('select count(*) from readings')).rows[0]![0]), 2, 'no row doubled');
  assert.deepEqual((await dbs.get('almgm')!.query('select rows from tsd_info')).rows, [[2]]);
  assert.deepEqual(await readdir(watch), []);
});

test('without update_tsd_info nothing is recorded in tsd_info and the archive keeps the original name', async () => {
  const out = await ingestor({ updateTsdInfo: false, compressJson: false }).process(await drop('test.readings.dev7.json', READINGS));
  assert.equal(out.status, 'ingested');
  assert.deepEqual((await dbs.get('almgm')!.query('select count(*) from tsd_info')).rows, [[0]]);
  const files = await readdir(join(root, 'archive', '26', '11', '23'));
  assert.equal(files.length, 1);
  assert.match(files[0]!, /^test\.readings\.dev7\.[0-9a-f]{32}\.0\.json$/);
  assert.deepEqual((await dbs.get('test')!.query('select distinct tsd_name, tsd_id from readings')).rows, [['0', 0]]);
});

test('a file still being written is waited for; the same bytes left alone long enough are an error', async () => {
  const path = join(watch, 'test.partial.json');
  await writeFile(path, '{"value": 1}\n{"value": 2, "de');
  const early = await ingestor({}, 60_000).process(path);
  assert.equal(early.status, 'retry');
  assert.match(early.status === 'retry' ? early.reason : '', /still being written/);
  assert.ok(existsSync(path), 'the file stays in the watch directory');
  await writeFile(path, '{"value": 1}\n{"value": 2, "device": "a"}\n');
  const done = await ingestor({}, 60_000).process(path);
  assert.equal(done.status, 'ingested');

  const stale = join(watch, 'test.partial.json');
  await writeFile(stale, '{"value": 3, "de');
  const old = new Date(Date.now() - 5_000);
  await utimes(stale, old, old);
  const failed = await ingestor({}, 1_000).process(stale);
  assert.equal(failed.status, 'failed');
  assert.ok(!existsSync(stale));
});

test('an SQL file runs its inserts in one transaction, is kept in !bkup_dir with archive_sql, and refuses other statements', async () => {
  assert.equal((await ingestor().process(await drop('test.readings.json', READINGS))).status, 'ingested');
  const insert = "insert into readings (timestamp, device, value) values ('2024-05-01T11:00:00Z', 'd9', 99);\n-- a comment; with a semicolon\ninsert into readings (timestamp, device, value) values ('2024-05-01T11:01:00Z', 'it''s; fine', 100);\n";
  const ok = await ingestor({ archiveSql: true, compressSql: true }).process(await drop('test.readings.sql', insert));
  assert.equal(ok.status, 'ingested');
  assert.equal(ok.status === 'ingested' ? ok.rows : 0, 2);
  assert.deepEqual((await dbs.get('test')!.query('select device from readings where value >= 99 order by value')).rows, [['d9'], ["it's; fine"]]);
  assert.deepEqual(await readdir(join(root, 'bkup')), ['test.readings.sql.gz']);
  assert.deepEqual(await readdir(watch), []);

  const evil = await ingestor().process(await drop('test.readings.x.sql', "insert into readings (value) values (1); drop table readings;"));
  assert.equal(evil.status, 'failed');
  assert.match(evil.status === 'failed' ? evil.reason : '', /statement 2 is not an INSERT into readings or its partitions: drop table readings/);
  const broken = await ingestor().process(await drop('test.readings.y.sql', "insert into readings (value) values (1); insert into readings (nosuch) values (2);"));
  assert.match(broken.status === 'failed' ? broken.reason : '', /statement 2: table readings has no column named nosuch/);
  assert.equal((await dbs.get('test')!.query('select count(*) from readings')).rows[0]![0], 4, 'the failed file inserted nothing');
  const missing = await ingestor().process(await drop('test.nosuch.sql', 'insert into nosuch (a) values (1);'));
  assert.equal(missing.status === 'failed' ? missing.code : 0, 28);
});

test('limit_tables: a file of another table goes to the error directory as excluded', async () => {
  const out = await ingestor({ limitTables: ['test.other'] }).process(await drop('test.readings.json', READINGS));
  assert.equal(out.status === 'failed' ? out.code : 0, 130);
  assert.match(out.status === 'failed' ? out.reason : '', /table test\.readings is not in limit_tables \(test\.other\)/);
  assert.equal((await ingestor({ limitTables: ['test.readings'] }).process(await drop('test.readings.b.json', READINGS.replace('d1', 'd7')))).status, 'ingested');
});

test('with the distributor, a file from a device goes to !distr_dir instead of the archive', async () => {
  const out = await ingestor({ distributor: true }).process(await drop('test.readings.json', READINGS));
  assert.equal(out.status, 'ingested');
  const distr = await readdir(join(root, 'distr'));
  assert.equal(distr.length, 1);
  assert.match(distr[0]!, /^test\.readings\.0\.[0-9a-f]{32}\.0\.57\.1\.\d{12}\.json\.gz$/);
  assert.ok(!existsSync(join(root, 'archive')), 'nothing archived');
});
