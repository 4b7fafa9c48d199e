// Partition names, ranges and declarations (operator.md §7), the row display of `info table ... partitions`, and the
// query rewrite that reads a partitioned table with its partitions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { rowDisplay } from '../command/format/row-print.js';
import { pyJsonDumps } from '../command/format/pyjson.js';
import { cliSections } from '../testing/transcripts.js';
import { rewriteForPartitions } from './partition-query.js';
import { isPartitionOf, PartitionDeclarations, partitionName, partitionRange, partitionsOf, type PartitionRule } from './partitions.js';

const rule = (count: number, unit: PartitionRule['unit']): PartitionRule => ({ count, unit, column: 'timestamp' });

test('partition names follow EdgeLake: date key, unit letter, two-digit count, column', () => {
  assert.equal(partitionName('readings', rule(1, 'day'), '2024-05-01T10:00:00Z'), 'par_readings_2024_05_01_d01_timestamp');
  assert.equal(partitionName('readings', rule(1, 'month'), '2024-05-01T10:00:00Z'), 'par_readings_2024_05_m01_timestamp');
  assert.equal(partitionName('readings', rule(1, 'year'), '2024-05-01 10:00:00'), 'par_readings_2024_y01_timestamp');
  assert.equal(partitionName('readings', rule(1, 'hour'), '2024-05-01T10:59:00Z'), 'par_readings_2024_05_01_10_h01_timestamp');
  // n > 1: the bucket number, as EdgeLake computes it ((day - 1) / n, (month - 1) / n, hour / n, year / n).
  assert.equal(partitionName('readings', rule(7, 'day'), '2024-05-08T00:00:00Z'), 'par_readings_2024_05_01_d07_timestamp');
  assert.equal(partitionName('readings', rule(7, 'day'), '2024-05-07T00:00:00Z'), 'par_readings_2024_05_00_d07_timestamp');
  assert.equal(partitionName('readings', rule(3, 'month'), '2024-05-01'), 'par_readings_2024_01_m03_timestamp');
  assert.equal(partitionName('readings', rule(6, 'hour'), '2024-05-01T13:00:00Z'), 'par_readings_2024_05_01_02_h06_timestamp');
  assert.equal(partitionName('readings', rule(2, 'year'), '2024-05-01'), 'par_readings_1012_y02_timestamp');
  assert.equal(partitionName('readings', rule(1, 'hour'), '2024-05-01'), undefined, 'an hour partition needs the hour');
  assert.equal(partitionName('readings', rule(1, 'day'), 'soon'), undefined);
});

test('each partition knows the dates it holds', () => {
  assert.deepEqual(partitionRange('readings', rule(1, 'day'), 'par_readings_2024_05_01_d01_timestamp'), ['2024-05-01', '2024-05-01']);
  assert.deepEqual(partitionRange('readings', rule(7, 'day'), 'par_readings_2024_02_04_d07_timestamp'), ['2024-02-29', '2024-02-29']);
  assert.deepEqual(partitionRange('readings', rule(7, 'day'), 'par_readings_2024_05_01_d07_timestamp'), ['2024-05-08', '2024-05-14']);
  assert.deepEqual(partitionRange('readings', rule(1, 'month'), 'par_readings_2024_02_m01_timestamp'), ['2024-02-01', '2024-02-29']);
  assert.deepEqual(partitionRange('readings', rule(3, 'month'), 'par_readings_2024_01_m03_timestamp'), ['2024-04-01', '2024-06-30']);
  assert.deepEqual(partitionRange('readings', rule(2, 'year'), 'par_readings_1012_y02_timestamp'), ['2024-01-01', '2025-12-31']);
  assert.deepEqual(partitionRange('readings', rule(1, 'hour'), 'par_readings_2024_05_01_10_h01_timestamp'), ['2024-05-01 10:00:00', '2024-05-01 10:59:59']);
});

test('partitions of a table are told apart from other tables and from another table of a similar name', () => {
  const tables = ['readings', 'par_readings_2024_05_02_d01_timestamp', 'par_readings_2024_05_01_d01_timestamp', 'par_readings_x_2024_05_01_d01_timestamp', 'readings_x', 'par_other_2024_05_01_d01_timestamp'];
  assert.deepEqual(partitionsOf(tables, 'readings', rule(1, 'day')), ['par_readings_2024_05_01_d01_timestamp', 'par_readings_2024_05_02_d01_timestamp']);
  assert.ok(isPartitionOf('par_readings_x_2024_05_01_d01_timestamp', 'readings_x'));
  assert.ok(!isPartitionOf('par_readings_2024_05_01_d01_timestamp', 'readings', rule(1, 'month')));
});

test('a table declaration wins over its database star, which wins over *.*; partitions are never partitioned', () => {
  const d = new PartitionDeclarations();
  d.declare('*', '*', rule(1, 'year'));
  d.declare('test', '*', rule(1, 'day'));
  d.declare('test', 'readings', rule(1, 'hour'));
  assert.equal(d.ruleFor('test', 'readings')!.unit, 'hour');
  assert.equal(d.ruleFor('TEST', 'other')!.unit, 'day');
  assert.equal(d.ruleFor('lab', 'x')!.unit, 'year');
  assert.equal(d.ruleFor('test', 'par_readings_2024_05_01_d01_timestamp'), undefined);
});

test('info table ... partitions prints as the real node (its row printer, no final line end)', () => {
  const [section] = cliSections('info-table-test-readings-partitions.txt');
  const value = { 'Partitions.test.readings': [{ par_name: 'par_readings_2024_05_01_d01_timestamp' }, { par_name: 'par_readings_2024_05_02_d01_timestamp' }] };
  // EdgeLake's row printer prints a prompt of its own before the CLI's: the capture holds two prompts.
  assert.equal(rowDisplay(pyJsonDumps(value)), section!.output.replace(/\rEL > $/, ''));
  assert.equal(rowDisplay('no brackets'), 'no brackets\r\n');
});

test('a query on a partitioned table reads the table and its partitions, whatever its form', () => {
  const db = new Database(':memory:');
  db.exec('create table readings (v int); create table par_readings_2024_05_01_d01_timestamp (v int); create table par_readings_2024_05_02_d01_timestamp (v int); create table other (v int)');
  db.exec('insert into par_readings_2024_05_01_d01_timestamp values (1), (2); insert into par_readings_2024_05_02_d01_timestamp values (3); insert into other values (10)');
  const tables = (db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((r) => r.name);
  const run = (sql: string) => db.prepare(rewriteForPartitions(sql, tables)).all();
  assert.deepEqual(run('select count(*) as n, sum(v) as s from readings'), [{ n: 3, s: 6 }]);
  assert.deepEqual(run('select r.v from readings r where r.v > 1 order by r.v'), [{ v: 2 }, { v: 3 }]);
  assert.deepEqual(run('select max(readings.v) as m from "readings" where v < 3'), [{ m: 2 }]);
  assert.deepEqual(run("select count(*) as n from other join readings as r on r.v < other.v where 'from readings' <> ''"), [{ n: 3 }]);
  assert.equal(rewriteForPartitions('select * from other', tables), 'select * from other');
});
