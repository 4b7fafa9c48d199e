// One file through the operator pipeline, on SQLite: what lands in the table, tsd_info, the archive and the
// error directory, including the failures and a resumed file after a crash.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { appendFile, copyFile, lstat, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
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

test('a file written in place is left alone until it has not changed for the settle time; a truncated last line then fails it whole', async () => {
  const path = join(watch, 'test.slow.json');
  // Two whole lines so far: what was read at this moment would parse, and the rest of the writer's rows be lost.
  await writeFile(path, '{"value": 1}\n{"value": 2}\n');
  const early = await ingestor({}, 60_000).process(path);
  assert.equal(early.status, 'retry', JSON.stringify(early));
  assert.equal(early.status === 'retry' && early.wait, true, 'waiting for a writer is not a failed attempt');
  assert.match(early.status === 'retry' ? early.reason : '', /test\.slow\.json: still being written/);
  assert.ok(existsSync(path), 'the file stays in the watch directory');
  assert.deepEqual(await dbs.get('test')!.columns('slow'), [], 'nothing stored yet');

  // The writer stopped in the middle of a line: once the file has settled it fails whole.
  await appendFile(path, '{"value": 3, "de');
  const old = new Date(Date.now() - 5_000);
  await utimes(path, old, old);
  const failed = await ingestor({}, 1_000).process(path);
  assert.equal(failed.status === 'failed' && failed.code, 67, JSON.stringify(failed));
  assert.match(failed.status === 'failed' ? failed.reason : '', /^test\.slow\.json: line 3 is not valid JSON/);
  assert.ok(!existsSync(path));
  assert.deepEqual(await dbs.get('test')!.columns('slow'), [], 'no row of it stored');
});

test('a file renamed into the watch directory after it was written is taken at once', async () => {
  const staged = join(root, 'test.moved.json');
  await writeFile(staged, '{"value": 1}\n');
  // Written a moment ago (well within the settle time), then renamed in: the rename moves ctime past mtime.
  const written = new Date(Date.now() - 200);
  await utimes(staged, written, written);
  await rename(staged, join(watch, 'test.moved.json'));
  assert.equal((await ingestor({}, 60_000).process(join(watch, 'test.moved.json'))).status, 'ingested');
});

test('a file killed between its archiving and its removal is finished on restart, not reported as a duplicate', async () => {
  const path = await drop('test.readings.json', READINGS);
  const before = await stat(path);
  await copyFile(path, join(root, 'copy'));
  assert.equal((await ingestor().process(path)).status, 'ingested');
  // The kill: the archive is written, the source still in the watch directory as it was.
  await copyFile(join(root, 'copy'), path);
  await utimes(path, before.atime, before.mtime);
  const again = await ingestor().process(path);
  assert.equal(again.status, 'ingested', JSON.stringify(again));
  assert.equal(again.status === 'ingested' && again.resumed, true);
  assert.equal(again.status === 'ingested' && again.rows, 2);
  assert.deepEqual(await readdir(watch), [], 'the source is removed');
  assert.ok(!existsSync(join(root, 'error')), 'nothing in the error directory');
  assert.equal(Number((await dbs.get('test')!.query('select count(*) from readings')).rows[0]![0]), 2, 'no row doubled');
  assert.deepEqual((await dbs.get('almgm')!.query('select rows from tsd_info')).rows, [[2]]);
});

test('a gzip bomb and a file over max_file_size go to the error directory with a reason naming the limit', async () => {
  // 32 MB of spaces compress to 32 KB; its trailer says so, and it is only counted while it inflates.
  const bomb = gzipSync(Buffer.alloc(32 * 1024 * 1024, 0x20), { level: 9 });
  await writeFile(join(watch, 'test.bomb.json.gz'), bomb);
  const out = await ingestor({ maxFileSize: 1024 * 1024 }).process(join(watch, 'test.bomb.json.gz'));
  assert.equal(out.status === 'failed' && out.code, 9, JSON.stringify(out));
  assert.match(out.status === 'failed' ? out.reason : '', /^test\.bomb\.json\.gz: decompresses to more than max_file_size = 1 MB/);
  // One whose trailer lies is stopped at the limit while it is inflated.
  const lying = Buffer.from(bomb);
  lying.writeUInt32LE(100, lying.length - 4);
  await writeFile(join(watch, 'test.liar.json.gz'), lying);
  const liar = await ingestor({ maxFileSize: 1024 * 1024 }).process(join(watch, 'test.liar.json.gz'));
  assert.equal(liar.status === 'failed' && liar.code, 9, JSON.stringify(liar));
  assert.match(liar.status === 'failed' ? liar.reason : '', /^test\.liar\.json\.gz: decompresses to more than max_file_size = 1 MB/);

  const huge = await drop('test.huge.json', `${'{"value": 1234567}\n'.repeat(120_000)}`);
  const big = await ingestor({ maxFileSize: 1024 * 1024 }).process(huge);
  assert.equal(big.status === 'failed' && big.code, 9, JSON.stringify(big));
  assert.match(big.status === 'failed' ? big.reason : '', /^test\.huge\.json: 2\.2 MB, over the operator's limit max_file_size = 1 MB; split the file, or raise the limit/);
  assert.deepEqual(await dbs.get('test')!.tables(), [], 'nothing stored');
  const reason = JSON.parse(await readFile(join(root, 'error', 'test.huge.json.err.json'), 'utf8'));
  assert.equal(reason.error, 'Data size is larger than buffer');
});

test('a table name too long for its archive name is refused before anything is stored, naming the 255-byte limit', async () => {
  const table = 't'.repeat(180);
  const out = await ingestor().process(await drop(`test.${table}.json`, READINGS));
  assert.equal(out.status === 'failed' && out.code, 119, JSON.stringify(out));
  assert.match(out.status === 'failed' ? out.reason : '', /would take up to 269 bytes while it is written, over the 255-byte limit of a file name; shorten the table name \(180 characters\) or the source \(1 bytes\)/);
  assert.deepEqual(await dbs.get('test')!.tables(), [], 'no table created');
  assert.deepEqual((await dbs.get('almgm')!.query('select count(*) from tsd_info')).rows, [[0]], 'nothing recorded');
  assert.deepEqual(await readdir(watch), []);

  // A 250-byte name: its reason file would pass 255 bytes, so the error directory keeps it under a shortened name.
  const name = `test.t.${'s'.repeat(238)}.json`;
  const long = await ingestor().process(await drop(name, READINGS));
  assert.equal(long.status, 'failed', JSON.stringify(long));
  const errFiles = await readdir(join(root, 'error'));
  const reasonFile = errFiles.find((f) => f.startsWith('test.t.s') && f.endsWith('.err.json'))!;
  assert.ok(Buffer.byteLength(reasonFile) <= 255, reasonFile);
  assert.equal(JSON.parse(await readFile(join(root, 'error', reasonFile), 'utf8')).source, name, 'the reason keeps the full name');
  assert.ok(errFiles.includes(reasonFile.replace(/\.err\.json$/, '')), 'the file is beside its reason');
});

test('links: one leaving the watch directory, a dangling one and one to a directory go to the error directory without quoting their target', async () => {
  const outside = join(root, 'outside');
  await mkdir(outside);
  await writeFile(join(outside, 'secret.txt'), 'password=hunter2, which no reason may quote\n');
  await symlink(join(outside, 'secret.txt'), join(watch, 'test.secret.json'));
  const out = await ingestor().process(join(watch, 'test.secret.json'));
  assert.equal(out.status === 'failed' && out.code, 115, JSON.stringify(out));
  assert.match(out.status === 'failed' ? out.reason : '', /test\.secret\.json: a symbolic link to '.*secret\.txt', outside the watch directory/);
  assert.doesNotMatch(JSON.stringify(out), /hunter2/);
  assert.ok(existsSync(join(outside, 'secret.txt')), 'the target is left where it is');
  assert.ok((await lstat(join(root, 'error', 'test.secret.json'))).isSymbolicLink(), 'the link itself is moved');

  await writeFile(join(outside, 'data.json'), READINGS);
  await symlink(join(outside, 'data.json'), join(watch, 'test.outdata.json'));
  const data = await ingestor().process(join(watch, 'test.outdata.json'));
  assert.equal(data.status === 'failed' && data.code, 115, 'a JSON file outside is not ingested either');
  assert.deepEqual(await dbs.get('test')!.tables(), []);

  await symlink(join(outside, 'nothing.json'), join(watch, 'test.dangling.json'));
  const dangling = await ingestor().process(join(watch, 'test.dangling.json'));
  assert.match(dangling.status === 'failed' ? dangling.reason : '', /test\.dangling\.json: a symbolic link to '.*nothing\.json', which does not exist/);
  await mkdir(join(watch, 'sub'));
  await symlink(join(watch, 'sub'), join(watch, 'test.linkdir.json'));
  await mkdir(join(watch, 'test.dir.json'));
  for (const name of ['test.linkdir.json', 'test.dir.json']) {
    const dir = await ingestor().process(join(watch, name));
    assert.equal(dir.status === 'failed' && dir.code, 115, name);
    assert.match(dir.status === 'failed' ? dir.reason : '', /: (a symbolic link to )?a directory; the operator ingests files only/);
  }
  assert.equal((await ingestor().process(join(watch, 'sub'))).status, 'gone', 'a directory not named like a data file is not the operator\'s');

  // A link to a file inside the watch directory is followed; the link goes, the file stays.
  await writeFile(join(watch, 'sub', 'inner.json'), READINGS);
  await symlink(join(watch, 'sub', 'inner.json'), join(watch, 'test.inner.json'));
  assert.equal((await ingestor().process(join(watch, 'test.inner.json'))).status, 'ingested');
  assert.deepEqual(await readdir(watch), ['sub']);
  assert.deepEqual(await readdir(join(watch, 'sub')), ['inner.json']);
});

test('reasons name the file, the format and what to do: a broken .gz, a truncated .gz, a name of the wrong type', async () => {
  const broken = await ingestor().process(await drop('test.broken.json.gz', 'not gzip at all'));
  assert.equal(broken.status === 'failed' && broken.code, 65);
  assert.match(broken.status === 'failed' ? broken.reason : '', /^test\.broken\.json\.gz: is not valid gzip data \(zlib: incorrect header check\); .*compress it again, or drop it uncompressed/);
  const cut = gzipSync(READINGS).subarray(0, 30);
  const path = join(watch, 'test.cut.json.gz');
  await writeFile(path, cut);
  const truncated = await ingestor().process(path);
  assert.match(truncated.status === 'failed' ? truncated.reason : '', /^test\.cut\.json\.gz: is truncated gzip data/);
  const fuzz = await ingestor().process(await drop('test.fuzzext', READINGS));
  assert.match(fuzz.status === 'failed' ? fuzz.reason : '', /^test\.fuzzext: '\.fuzzext' is not a type the operator takes \(\.json or \.sql.*name the file dbms\.table/);
  const bare = await ingestor().process(await drop('readme', READINGS));
  assert.match(bare.status === 'failed' ? bare.reason : '', /^readme: the name has no type/);
  const reasons = await Promise.all((await readdir(join(root, 'error'))).filter((f) => f.endsWith('.err.json')).map(async (f) => JSON.parse(await readFile(join(root, 'error', f), 'utf8')) as { source: string; reason: string }));
  for (const r of reasons) assert.ok(r.reason.includes(r.source), `${r.source}: ${r.reason}`);
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
