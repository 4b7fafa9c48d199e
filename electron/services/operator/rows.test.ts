// Row planning (operator.md §6): timestamp forms, the compiled path against the general one, missing attributes,
// and errors that name the row and the attribute.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ColumnInfo } from '../dbms/adapter.js';
import { planRows, toUtcTimestamp } from './rows.js';

const COLUMNS: ColumnInfo[] = [
  { name: 'row_id', type: 'integer' },
  { name: 'insert_timestamp', type: 'timestamp without time zone' },
  { name: 'tsd_name', type: 'char(3)' },
  { name: 'tsd_id', type: 'int' },
  { name: 'timestamp', type: 'timestamp without time zone' },
  { name: 'device', type: 'char(3)' },
  { name: 'value', type: 'int' },
  { name: 'temp', type: 'decimal' },
  { name: 'ok', type: 'boolean' },
];
const AT = new Date(Date.UTC(2026, 10, 25, 6, 0, 0, 250));

test('timestamps are stored as UTC with T and Z, whatever form each row has', () => {
  process.env.TZ = 'UTC';
  const cases: [unknown, string][] = [
    ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00Z'],
    ['2024-06-04T11:00:00.5Z', '2024-06-04T11:00:00.5Z'],
    ['2024-06-04T10:01:00+02:00', '2024-06-04T08:01:00Z'],
    ['2024-06-04T10:02:00.123-05:00', '2024-06-04T15:02:00.123Z'],
    ['2024-06-04T10:02:00.123456-0500', '2024-06-04T15:02:00.123456Z'],
    ['1717495200', '2024-06-04T10:00:00Z'],
    [1717495200, '2024-06-04T10:00:00Z'],
    [1717495200.25, '2024-06-04T10:00:00.250Z'],
    ['2024-06-04', '2024-06-04T00:00:00Z'],
  ];
  for (const [value, stored] of cases) assert.equal(toUtcTimestamp(value), stored, String(value));
  for (const bad of ['yesterday', '2024-13-01T00:00:00Z', '2024-05-01T25:00:00Z', '', true, null]) assert.equal(typeof toUtcTimestamp(bad), 'symbol', String(bad));
});

test('a local time without a zone is converted to UTC (the machine zone, as EdgeLake)', () => {
  const local = new Date(2024, 4, 1, 10, 0, 0);
  assert.equal(toUtcTimestamp('2024-05-01 10:00:00'), `${local.toISOString().slice(0, 19)}Z`);
});

test('the compiled path and the general path give the same rows; another shape mid-file is planned too', () => {
  const rows = Array.from({ length: 40 }, (_, i) => ({ timestamp: `2024-05-01T10:00:${String(i).padStart(2, '0')}Z`, device: `d${i}`, value: i, temp: i + 0.5, ok: i % 2 === 0 }));
  rows[20] = { Device: 'D20', timestamp: '2024-05-01 10:00:20', value: '20', ok: 'true' } as never; // other shape and forms
  const prefix = { columns: ['insert_timestamp', 'tsd_name', 'tsd_id'], values: ['2026-11-25T06:00:00.250000Z', '3', 9] };
  const compiled = planRows(rows, COLUMNS, 'f.json', prefix, AT);
  const general = rows.map((r) => planRows([r], COLUMNS, 'f.json', prefix, AT).values[0]);
  assert.deepEqual(compiled.values, general);
  assert.deepEqual(compiled.columns, ['insert_timestamp', 'tsd_name', 'tsd_id', 'timestamp', 'device', 'value', 'temp', 'ok']);
  assert.deepEqual(compiled.values[1], ['2026-11-25T06:00:00.250000Z', '3', 9, '2024-05-01T10:00:01Z', 'd1', 1, 1.5, 0]);
  // Missing: temp is NULL; booleans are 1/0 as EdgeLake stores them on SQLite.
  assert.deepEqual(compiled.values[20]!.slice(4), ['D20', 20, null, 1]);
});

test('a missing timestamp takes the file time; a value that does not fit names its row and attribute', () => {
  const rows = Array.from({ length: 30 }, (_, i) => ({ timestamp: '2024-05-01T10:00:00Z', value: i }));
  delete (rows[3] as Partial<(typeof rows)[number]>).timestamp;
  assert.equal(planRows(rows, COLUMNS, 'f.json', undefined, AT).values[3]![0], '2026-11-25T06:00:00.250Z');
  rows[25] = { timestamp: '2024-05-01T10:00:00Z', value: 'lots' as never };
  assert.throws(() => planRows(rows, COLUMNS, 'f.json', undefined, AT), /f\.json: row 26, attribute 'value': value "lots" does not fit column 'value' of type int/);
  rows[25] = { timestamp: 'soon', value: 1 };
  assert.throws(() => planRows(rows, COLUMNS, 'f.json', undefined, AT), /row 26, attribute 'timestamp': value "soon" does not fit column 'timestamp'/);
});

test('attribute names cannot inject code into the compiled planner', () => {
  const evil = '"]; globalThis.pwned = 1; //';
  const rows = Array.from({ length: 20 }, () => ({ [evil]: 1, value: 2 }));
  planRows(rows, COLUMNS, 'f.json', undefined, AT);
  assert.equal((globalThis as { pwned?: number }).pwned, undefined);
});

test('integers beyond 2^53 reach integer columns exactly; digit strings too; beyond 64 bits they do not fit', () => {
  const rows = [{ value: 9007199254740993n, device: 9223372036854775807n }, { value: '-9223372036854775808' }, { value: '9223372036854775808' }];
  assert.deepEqual(planRows(rows.slice(0, 2), COLUMNS, 'f.json', undefined, AT).values.map((r) => r.slice(1, 3)), [
    ['9223372036854775807', 9007199254740993n],
    [null, -9223372036854775808n],
  ]);
  assert.throws(() => planRows(rows, COLUMNS, 'f.json', undefined, AT), /row 3, attribute 'value': value "9223372036854775808" does not fit column 'value' of type int/);
});

test('two attributes of one row on one column fail the file naming both; a key without a column name too', () => {
  const rows = Array.from({ length: 20 }, (_, i) => ({ value: i, Value: i + 1 }));
  assert.throws(() => planRows(rows, COLUMNS, 'f.json', undefined, AT), /f\.json: row 1: attributes "value" and "Value" both map to column 'value'/);
  const empty = Array.from({ length: 20 }, (_, i) => ({ value: i, '': 'x' }));
  assert.throws(() => planRows(empty, COLUMNS, 'f.json', undefined, AT), /f\.json: row 1: attribute "" has no column name/);
});
