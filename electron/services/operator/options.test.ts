import assert from 'node:assert/strict';
import { test } from 'node:test';
import { operatorConfig } from './options.js';

const base = { policy: 'p', create_table: true, update_tsd_info: false, compress_json: true, archive_sql: false, compress_sql: true, threads: 1, distributor: false, flush_streaming: false };

test('limit_tables takes EdgeLake\'s bracketed list and repeated keys; a bad entry is named', () => {
  const config = operatorConfig({ ...base, limit_tables: ['(test.readings, Test.Other)', 'lab.x'] });
  assert.deepEqual(config.limitTables, ['test.readings', 'test.other', 'lab.x']);
  assert.throws(() => operatorConfig({ ...base, limit_tables: ['(test.readings, readings)'] }), /limit_tables: 'readings' is not dbms\.table/);
});

test('SQL archiving: archive_sql (EdgeLake) or move_sql (seed); threads are bounded', () => {
  assert.equal(operatorConfig({ ...base, archive_sql: undefined, move_sql: true }).archiveSql, true);
  assert.equal(operatorConfig({ ...base, archive_sql: true }).archiveSql, true);
  assert.equal(operatorConfig(base).archiveSql, false);
  assert.throws(() => operatorConfig({ ...base, threads: 11 }), /threads = 11/);
});

test('max_file_size: 64MB unless given; a zero size is refused', () => {
  assert.equal(operatorConfig(base).maxFileSize, 64 * 1024 * 1024);
  assert.equal(operatorConfig({ ...base, max_file_size: 1024 }).maxFileSize, 1024);
  assert.throws(() => operatorConfig({ ...base, max_file_size: 0 }), /max_file_size = 0: give a size such as 64MB/);
});
