// The database commands on a real node, as a user types them, compared with the real node's output.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EdgeNode } from '../node.js';
import { cliSections, restSections } from '../testing/transcripts.js';

let home: string;
let node: EdgeNode;

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'edgelake-dbms-'));
  node = new EdgeNode({ home, ip: '127.0.0.1' });
  await node.start();
});
after(async () => {
  await node.stop();
  await rm(home, { recursive: true, force: true });
});

test('connect dbms prints as the real node, and get databases lists it like EdgeLake', async () => {
  assert.equal((await node.execute('get databases')).text, 'No DBMS connections found\r\n');
  const r = await node.execute('connect dbms almgm where type = sqlite');
  assert.equal(r.text, 'Database almgm using sqlite connected!\r\n');
  assert.equal((await node.execute('connect dbms test where type = sqlite')).code, 0);
  const [captured] = cliSections('get-databases.txt');
  const dbmsDir = node.dictionary.get('dbms_dir')!;
  const ours = (await node.execute('get databases')).text;
  // Same table, with our home instead of <HOME_O> (the placeholder's length differs, so widths do too).
  const expectedRows = captured!.output.split('\r\n').filter((l) => l.startsWith('almgm') || l.startsWith('test'));
  for (const row of expectedRows) {
    const [name, type, owner, ipPort, conf] = row.split('|').map((c) => c.trim());
    assert.match(ours, new RegExp(`\\r\\n${name} *\\|${type} *\\|${owner} *\\|${ipPort} *\\|${conf!.replace(/[()]/g, '\\$&')}\\|${dbmsDir.replace(/\//g, '\\/')}\\/${name}\\.dbms *\\|`));
  }
  assert.match(ours, /^\r\nActive DBMS Connections\r\nLogical DBMS Database Type Owner {2}IP:Port Configuration/);
});

test('create table tsd_info where dbms = almgm creates the table; the seed form works too', async () => {
  assert.equal((await node.execute('create table tsd_info where dbms = almgm')).code, 0);
  assert.equal((await node.execute('info table almgm tsd_info exists')).text, 'true\r\n');
  const cols = await node.execute('get columns where dbms = almgm and table = tsd_info');
  assert.match(cols.text, /Schema for DBMS: 'almgm' and Table: 'tsd_info'/);
  assert.match(cols.text, /\r\nfile_id {5}\|integer +\|/);
  assert.match(cols.text, /\r\nfile_time {3}\|timestamp without time zone\|/);
  assert.equal((await node.execute('create internal table almgm')).code, 0, 'a second create (seed form) is harmless');
  const tables = await node.execute('get tables where dbms = almgm');
  assert.match(tables.text, /\r\nDatabase Table name Local DBMS Blockchain \r\n/);
  assert.match(tables.text, /\r\nalmgm {3}\|tsd_info {2}\| V {8}\| - {8}\|/);
});

test('sql runs locally with the real node output shapes: JSON rows and statistics, table format', async () => {
  await node.execute('sql test "create table ts_epoch (row_id integer primary key, timestamp bigint, value int)"');
  await node.execute('sql test "insert into ts_epoch (timestamp, value) values (1717495200, 17), (1717495260, 18)"');
  const json = await node.execute('sql test format = json "select row_id, value from ts_epoch"');
  assert.equal(json.code, 0, json.text);
  const body = json.text.replace(/\r\n$/, '');
  assert.equal(body, '{"Query": [{"row_id": 1, "value": 17},{"row_id": 2, "value": 18}],\n"Statistics":[{"Count": 2,"Time":"00:00:00","Nodes": 0}]}');
  assert.deepEqual((json.json as { Query: unknown[] }).Query, [{ row_id: 1, value: 17 }, { row_id: 2, value: 18 }]);
  const table = await node.execute('sql test format = table "select row_id, timestamp, value from ts_epoch"');
  // transcripts/rest-local-sql.txt, byte for byte.
  assert.equal(
    table.text,
    '\nrow_id timestamp  value\n------ ---------- ----- \n     1 1717495200    17 \n     2 1717495260    18 \n\n{"Statistics":[{"Count": 2,\n                "Time":"00:00:00",\n                "Nodes": 0}]}\r\n',
  );
  // An aggregate answers in EdgeLake's compact form (rest-local-sql.txt, count(*) section), with and without stats.
  const [, , count] = restSections('rest-local-sql.txt');
  const aggregate = await node.execute('sql test "select count(*) from ts_epoch"');
  const dechunked = count!.body.split('\r\n').filter((_, i) => i % 2 === 1).join('');
  assert.equal(aggregate.text.replace(/\r\n$/, ''), dechunked);
  const noStat = await node.execute('sql test format = json and stat = false "select count(*) from ts_epoch"');
  assert.equal(noStat.text, '{"Query":[{"count(*)":2}]}\r\n');
});

test('sql errors name the problem: unknown dbms (code 5), bad SQL (code 16), unknown option', async () => {
  const missing = await node.execute('sql nope "select 1"');
  assert.equal(missing.code, 5);
  assert.match(missing.detail!, /DBMS 'nope' is not connected/);
  const bad = await node.execute('sql test "select * from no_such_table"');
  assert.equal(bad.code, 16);
  assert.match(bad.detail!, /no such table: no_such_table/);
  const option = await node.execute('sql test formatt = json "select 1"');
  assert.equal(option.code, 2);
  assert.match(option.detail!, /Unknown key 'formatt'.*did you mean 'format'/);
});

test('connect errors: a second connect, an unknown type, the seed positional form', async () => {
  assert.equal((await node.execute('connect dbms test where type = sqlite')).code, 0, 'the same engine again: success, as EdgeLake');
  assert.match((await node.execute('connect dbms test where type = psql and ip = 127.0.0.1 and port = 5432 and user = postgres')).detail!, /already connected to sqlite/);
  assert.match((await node.execute('connect dbms x where type = oracle')).detail!, /Unknown database type 'oracle'/);
  assert.equal((await node.execute('connect dbms sqlite root@127.0.0.1:demo 5432 olddb')).code, 0);
  assert.ok(node.databases.has('olddb'));
  assert.equal((await node.execute('disconnect dbms olddb')).code, 0);
  assert.equal(node.databases.has('olddb'), false);
  assert.equal((await node.execute('disconnect dbms olddb')).code, 5);
});

test('connect dbms with type = psql reaches a real PostgreSQL server', async () => {
  const name = `edgelake_cmd_${process.pid}`;
  const r = await node.execute(`connect dbms ${name} where type = psql and ip = 127.0.0.1 and port = 5432 and user = postgres`);
  assert.equal(r.code, 0, r.text);
  await node.execute(`sql ${name} "create table if not exists t (v int)"`);
  await node.execute(`sql ${name} "insert into t (v) values (41), (42)"`);
  const q = await node.execute(`sql ${name} format = json and stat = false "select max(v) as m from t"`);
  assert.equal(q.text, '{"Query":[{"m":42}]}\r\n');
  assert.match((await node.execute('get databases')).text, new RegExp(`${name} *\\|psql +\\|user  \\|127\\.0\\.0\\.1:5432`));
  await node.execute(`disconnect dbms ${name}`);
  const pg = await import('pg');
  const admin = new pg.default.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.end();
});
