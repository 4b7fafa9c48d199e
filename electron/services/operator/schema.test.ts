// Schema inference and DDL against operator.md §5 and the DDL observed on a real operator.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteAdapter } from '../dbms/sqlite.js';
import { planRows } from './rows.js';
import { sqliteStatements } from '../dbms/ddl.js';
import { columnName, genericDdl, inferColumns, mergeTypes, typeOfValue } from './schema.js';

test('column names are normalized as EdgeLake does', () => {
  assert.equal(columnName('Mixed.Case-Name'), 'mixed_case_name');
  assert.equal(columnName('123'), '_123');
  assert.equal(columnName('Device Name'), 'device_name');
  assert.equal(columnName('temp°'), 'temp0xb0');
});

test('each JSON value maps to the type of the spec table', () => {
  const cases: [unknown, string, string | undefined][] = [
    [true, 'ok', 'boolean'],
    [17, 'v', 'int'],
    [123_456_789, 'v', 'bigint'],
    [1717495200, 'timestamp', 'bigint'],
    [20.5, 'v', 'decimal'],
    [0.1234567, 'v', 'float'],
    [1e-7, 'v', 'float'],
    ['3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'id', 'uuid'],
    ['2024-05-01 10:00:00', 'ts', 'timestamp not null default now()'],
    ['2024-05-01T10:00:00Z', 'ts', 'timestamp not null default now()'],
    ['2024-06-04T10:02:00.123-05:00', 'ts', 'timestamp not null default now()'],
    ['2024-06-04', 'd', 'date not null default now()'],
    ['10:00:00', 't', 'time not null default now()'],
    ['10.0.0.1', 'addr', 'cidr'],
    ['1717495200', 'event_time', 'timestamp not null default now()'],
    ['1.5', 'v', 'float'],
    ['12345678', 'v', 'int'],
    ['123456789', 'v', 'bigint'],
    ['d1', 'device', 'char(2)'],
    ['a longer string', 'v', 'varchar'],
    ['', 'v', 'varchar'],
    [[1, 2], 'v', 'varchar'],
    [{ a: 1 }, 'obj', undefined],
    [null, 'v', undefined],
  ];
  for (const [value, attribute, type] of cases) assert.equal(typeOfValue(value, attribute), type, JSON.stringify(value));
});

test('types merge as the spec says', () => {
  assert.equal(mergeTypes('char(2)', 'char(5)'), 'char(5)');
  assert.equal(mergeTypes('char(2)', 'varchar'), 'varchar');
  assert.equal(mergeTypes('char(2)', 'int'), 'char(32)');
  assert.equal(mergeTypes('int', 'decimal'), 'decimal');
  assert.equal(mergeTypes('decimal', 'float'), 'float');
  assert.equal(mergeTypes('bigint', 'int'), 'bigint');
  assert.equal(mergeTypes('boolean', 'int'), 'varchar');
  assert.equal(mergeTypes(undefined, 'int'), 'int');
});

test("the readings file gives the real operator's DDL, generic and on SQLite", () => {
  const rows = [
    { timestamp: '2024-05-01T10:00:00Z', device: 'd1', value: 10, temp: 20.5, ok: true, obj: { x: 1 } },
    { timestamp: '2024-05-01T10:01:00Z', device: 'd2', value: 11, temp: 21.5, ok: false, obj: { x: 2 } },
  ];
  const columns = inferColumns(rows);
  assert.deepEqual(columns.map((c) => c.name), ['timestamp', 'device', 'value', 'temp', 'ok'], 'objects add no column');
  const generic = genericDdl('readings', columns, true);
  assert.equal(
    generic,
    'CREATE TABLE IF NOT EXISTS readings(  row_id SERIAL PRIMARY KEY,  insert_timestamp TIMESTAMP NOT NULL DEFAULT NOW(),  tsd_name CHAR(3),  tsd_id INT,  timestamp timestamp not null default now(),  device char(2),  value int,  temp decimal,  ok boolean ); CREATE INDEX readings_timestamp_index ON readings(timestamp); CREATE INDEX readings_tsd_index ON readings(tsd_name, tsd_id); CREATE INDEX readings_insert_timestamp_index ON readings(insert_timestamp);',
  );
  // Created on SQLite, sqlite_master holds what EdgeLake's operator left there (operator.md §5.2).
  const db = new Database(':memory:');
  for (const s of sqliteStatements(generic)) db.exec(s);
  const sql = (db.prepare('select sql from sqlite_master where name like ? order by rowid').all('readings%') as { sql: string }[]).map((r) => r.sql);
  assert.deepEqual(sql, [
    'CREATE TABLE readings(  row_id integer primary key autoincrement,  insert_timestamp timestamp not null default current_timestamp,  tsd_name char(3),  tsd_id int,  timestamp timestamp not null default current_timestamp,  device char(2),  value int,  temp decimal,  ok boolean )',
    'CREATE INDEX readings_timestamp_index on readings(timestamp)',
    'CREATE INDEX readings_tsd_index on readings(tsd_name, tsd_id)',
    'CREATE INDEX readings_insert_timestamp_index on readings(insert_timestamp)',
  ]);
  db.close();
});

test('a column seen only with null is varchar; the whole file decides, not the first row', () => {
  const columns = inferColumns([{ a: null, v: 1 }, { a: null, v: 2.5 }]);
  assert.deepEqual(columns, [
    { name: 'a', type: 'varchar' },
    { name: 'v', type: 'decimal' },
  ]);
});

test("keys that are SQL words or start with a symbol get EdgeLake's column names (utils_data.reset_str_chars)", () => {
  const cases: [string, string][] = [
    ['group', 'group'],
    ['order', 'order'],
    ['@timestamp', '0x40timestamp'],
    ['%rh', '0x25rh'],
    ['°C', '0xb0c'],
    ['#count', '0x23count'],
    ['"', '0x22'],
    ['  Padded Name ', 'padded_name'],
    ['Écart', '0xc9cart'],
    ['温度', '温度'],
    ['ΩMega', 'Ωmega'],
    ['a_b', 'a_b'],
    ['007', '_007'],
    ['', ''],
    ['   ', ''],
  ];
  for (const [key, column] of cases) assert.equal(columnName(key), column, JSON.stringify(key));
});

test('a table of such keys is created and filled on SQLite: names are quoted where a bare name breaks the DDL', async () => {
  const keys = ['group', 'order', 'values', 'from', 'select', 'table', '@timestamp', '%rh', '°C', '#count', '"', 'ΩMega', '1st'];
  const row = Object.fromEntries(keys.map((k, i) => [k, k === '@timestamp' ? '2024-05-01T10:00:00Z' : i]));
  const columns = inferColumns([row]);
  assert.deepEqual(columns.map((c) => c.name), ['group', 'order', 'values', 'from', 'select', 'table', '0x40timestamp', '0x25rh', '0xb0c', '0x23count', '0x22', 'Ωmega', '1st']);
  const generic = genericDdl('select', columns, true);
  assert.match(generic, /^CREATE TABLE IF NOT EXISTS "select"\( {2}row_id SERIAL PRIMARY KEY,.* {2}"group" int,.* {2}"0x40timestamp" timestamp not null default now\(\),/);
  assert.match(generic, /CREATE INDEX select_0x40timestamp_index ON "select"\("0x40timestamp"\);/);
  const db = new SqliteAdapter('memory');
  for (const s of sqliteStatements(generic)) await db.run(s);
  const created = await db.columns('select');
  assert.deepEqual(created.slice(4).map((c) => c.name), columns.map((c) => c.name), 'a quoted name keeps its case (Ω is not lower-cased)');
  const plan = planRows([row], created, 'f.json');
  assert.equal(await db.insertMany('select', plan.columns, plan.values), 1);
  const back = await db.query('select "group", "0x40timestamp", "0x22", "Ωmega" from "select"');
  assert.deepEqual(back.rows, [[0, '2024-05-01T10:00:00Z', 10, 11]]);
  await db.close();
});

test('a key without a column name, or two keys of one row on one column, fail with the keys named', () => {
  assert.throws(() => inferColumns([{ a: 1 }, { a: 2, '': 3 }]), /row 2: attribute "" has no column name \(an empty key\)/);
  assert.throws(() => inferColumns([{ Temp: 1, 'temp ': 2 }]), /row 1: attributes "Temp" and "temp " both map to column 'temp'; one value would be lost/);
  // In different rows they fill one column, as EdgeLake does.
  assert.deepEqual(inferColumns([{ Temp: 1 }, { temp: 2 }]), [{ name: 'temp', type: 'int' }]);
});
