// The ingest core called as a stream calls it: rows in memory, no file, a source label. What lands in the table
// and its partitions, tsd_info, the counters behind `get operator` (immediate for streams, batch for files).
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { Dictionary } from '../command/dictionary.js';
import { createInterpreter } from '../command/language.js';
import { renderCli } from '../command/render.js';
import { CommandTable } from '../command/table.js';
import type { DbmsAdapter } from '../dbms/adapter.js';
import type { PartitionRule } from '../dbms/partitions.js';
import { SqliteAdapter } from '../dbms/sqlite.js';
import { createTsdInfo } from '../dbms/tsd-schema.js';
import { OperatorCounters } from './counters.js';
import { IngestCore, type IngestCoreOptions, type RowsWritten } from './ingest-core.js';
import { getOperatorCommand } from './stats-command.js';

let dbs: Map<string, DbmsAdapter>;
let counters: OperatorCounters;
let written: RowsWritten[];
const at = new Date(Date.UTC(2026, 10, 23, 0, 40, 20, 123));
const BY_DAY: PartitionRule = { count: 1, unit: 'day', column: 'timestamp' };

function core(options: Partial<IngestCoreOptions> = {}, rule?: PartitionRule) {
  return new IngestCore(
    {
      database: (name) => {
        const db = dbs.get(name);
        if (!db) throw new Error(`DBMS '${name}' is not connected`);
        return db;
      },
      now: () => at,
      partition: () => rule,
      onWritten: (w) => {
        written.push(w);
        counters.written(w);
      },
    },
    { createTable: true, updateTsdInfo: true, member: '57', ...options },
  );
}

const READINGS = [
  { timestamp: '2024-05-01T10:00:00Z', device: 'd1', value: 10 },
  { timestamp: '2024-05-01T11:00:00Z', device: 'd2', value: 11 },
  { timestamp: '2024-05-02T09:00:00Z', device: 'd1', value: 12 },
];

async function rows(sql: string, db = 'test'): Promise<unknown[][]> {
  return (await dbs.get(db)!.query(sql)).rows;
}

beforeEach(async () => {
  dbs = new Map([
    ['test', new SqliteAdapter('memory')],
    ['almgm', new SqliteAdapter('memory')],
  ]);
  await createTsdInfo(dbs.get('almgm')!);
  counters = new OperatorCounters();
  written = [];
});

test('rows from no file (an MQTT topic) create the table, go to their partitions, are recorded in tsd_info and counted', async () => {
  const result = await core({}, BY_DAY).writeRows({ dbms: 'test', table: 'readings', rows: READINGS, origin: 'mqtt', source: 'factory/line1' });
  assert.equal(result.rows, 3);
  assert.equal(result.tsdId, 1);
  assert.equal(result.resumed, false);
  assert.match(result.createdTable ?? '', /^CREATE TABLE IF NOT EXISTS readings\(/i, 'the generic DDL of the new table, for its policy');
  assert.deepEqual(result.partitions, ['par_readings_2024_05_01_d01_timestamp', 'par_readings_2024_05_02_d01_timestamp']);
  assert.deepEqual(await rows('select count(*) from readings'), [[0]], 'the parent table stays empty');
  assert.deepEqual(await rows('select device, value, tsd_name, tsd_id from par_readings_2024_05_01_d01_timestamp order by value'), [
    ['d1', 10, '57', 1],
    ['d2', 11, '57', 1],
  ]);
  assert.deepEqual(await rows('select device, value from par_readings_2024_05_02_d01_timestamp'), [['d1', 12]]);
  assert.deepEqual(await rows('select file_id, dbms_name, table_name, source, instructions, file_time, rows from tsd_info', 'almgm'), [[1, 'test', 'readings', 'factory/line1', '0', '2026-11-23 00:40:20.123000', 3]]);
  assert.match(String((await rows('select file_hash from tsd_info', 'almgm'))[0]![0]), /^[0-9a-f]{32}$/, 'a fresh id stands for the hash it was not given');

  assert.equal(written.length, 1);
  assert.deepEqual({ ...written[0]!, ms: 0 }, { dbms: 'test', table: 'readings', origin: 'mqtt', source: 'factory/line1', rows: 3, partitions: result.partitions, createdTable: result.createdTable, ms: 0 });
  const stats = counters.tables.get('test.readings')!;
  assert.deepEqual([stats.immediate, stats.immediateRows, stats.files, stats.batchRows], [1, 3, 0, 0]);
  assert.equal(counters.totalRows, 3);
  assert.deepEqual([...counters.sql.keys()], ['test.readings.2024_05_01_d01_timestamp', 'test.readings.2024_05_02_d01_timestamp']);
  assert.deepEqual(counters.takeBucket(), { files: 0, rows: 3, errors: 0 });
});

test("get operator counts a stream's rows as immediate inserts and a file's as batch inserts", async () => {
  const ingest = core();
  await ingest.writeRows({ dbms: 'test', table: 'readings', rows: READINGS.slice(0, 2), origin: 'file', source: '0', hash: 'a'.repeat(32), label: 'test.readings.json' });
  assert.deepEqual([counters.tables.get('test.readings')!.immediate, counters.tables.get('test.readings')!.immediateRows], [0, 0], 'a file is not immediate');
  await ingest.writeRows({ dbms: 'test', table: 'readings', rows: READINGS, origin: 'rest', source: '10.0.0.1' });
  await ingest.writeRows({ dbms: 'test', table: 'readings', rows: READINGS.slice(2), origin: 'mqtt', source: 'factory/line1' });

  const table = new CommandTable();
  table.registerAll([getOperatorCommand({ stats: () => ({ counters, started: Date.now(), member: '57', policy: 'p', cluster: 'c' }), nodeName: () => 'node@127.0.0.1' })]);
  const interp = createInterpreter(table, new Dictionary({}), { print: () => undefined });
  const inserts = renderCli(await interp.execute('get operator inserts', 'cli'));
  assert.match(inserts, /^\r\n\nStats: OPERATOR INSERTS\r\nDBMS Table +First insert Last insert Batch inserts Immediate inserts DBMS Seconds \r\n/);
  assert.match(inserts, /\r\ntest\|readings\|\d\d:\d\d:\d\d +\|\d\d:\d\d:\d\d +\| +2\| +4\| +\d+\.\d{3}\|\r\n/);
  const json = (await interp.execute('get operator inserts where format = json', 'cli')).output;
  assert.deepEqual(json?.kind === 'json' && (json.value as Record<string, Record<string, string[]>>).test!.readings!.slice(4, 6), ['2', '4']);
  assert.match(renderCli(await interp.execute('get operator json', 'cli')), /\r\ntest\|readings\| +0\| +2\|\d{10}\|/, 'two immediate writes, no file counted by the core');
  assert.match(renderCli(await interp.execute('get operator sql', 'cli')), /\r\ntest\|readings\| +1\| +2\|\d{10}\|/);
});

test('rows that do not fit leave no tsd_info row; a hash written twice is refused as a duplicate', async () => {
  const ingest = core();
  await ingest.writeRows({ dbms: 'test', table: 'readings', rows: READINGS, origin: 'mqtt', source: 't', hash: 'b'.repeat(32) });
  await assert.rejects(
    ingest.writeRows({ dbms: 'test', table: 'readings', rows: [{ timestamp: '2024-05-03T00:00:00Z', value: 'lots' }], origin: 'mqtt', source: 't' }),
    (e: { code: number; detail: string }) => e.code === 27 && /test\.readings from t: row 1, attribute 'value'/.test(e.detail),
  );
  await assert.rejects(ingest.writeRows({ dbms: 'test', table: 'readings', rows: READINGS, origin: 'mqtt', source: 't', hash: 'b'.repeat(32) }), (e: { code: number }) => e.code === 86);
  assert.deepEqual(await rows('select count(*) from tsd_info', 'almgm'), [[1]]);
  assert.deepEqual(await rows('select count(*) from readings'), [[3]]);
  assert.equal(counters.totalRows, 3, 'failed writes count nothing');
});

test('without create_table a missing table is refused (28); without update_tsd_info rows carry tsd 0 and nothing is recorded', async () => {
  await assert.rejects(core({ createTable: false }).writeRows({ dbms: 'test', table: 'readings', rows: READINGS, origin: 'ha', source: 'member 3' }), (e: { code: number }) => e.code === 28);
  const result = await core({ updateTsdInfo: false }).writeRows({ dbms: 'test', table: 'readings', rows: READINGS, origin: 'ha', source: 'member 3' });
  assert.equal(result.tsdId, undefined);
  assert.deepEqual(await rows('select distinct tsd_name, tsd_id from readings'), [['0', 0]]);
  assert.deepEqual(await rows('select count(*) from tsd_info', 'almgm'), [[0]]);
});
