// One behaviour suite for every database adapter: SQLite and PostgreSQL must pass the same tests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { genericDdl, inferColumns } from '../operator/schema.js';
import { ddlStatements } from './ddl.js';
import type { DbmsAdapter } from './adapter.js';
import { createTsdInfo } from './tsd-schema.js';

export function adapterSuite(name: string, open: () => Promise<DbmsAdapter>, drop: (db: DbmsAdapter) => Promise<void>): void {
  test(`${name}: creates tsd_info with EdgeLake's columns and a unique hash`, async () => {
    const db = await open();
    try {
      assert.equal(await createTsdInfo(db), true);
      assert.equal(await createTsdInfo(db), false, 'a second create leaves the table as it is');
      assert.ok((await db.tables()).includes('tsd_info'));
      const cols = (await db.columns('tsd_info')).map((c) => c.name);
      assert.deepEqual(cols, ['file_id', 'dbms_name', 'table_name', 'source', 'file_hash', 'instructions', 'file_time', 'rows', 'status1', 'status2']);
      const insert = 'insert into tsd_info (dbms_name, table_name, source, file_hash, instructions, file_time, rows, status1, status2) values (?, ?, ?, ?, ?, ?, ?, ?, ?)';
      await db.run(insert, ['test', 'readings', '0', 'abc', '0', '2026-11-23 00:32:29.628552', 2, '', '']);
      await assert.rejects(db.run(insert, ['test', 'readings', '0', 'abc', '0', '2026-11-23 00:32:29', 2, '', '']), /unique|UNIQUE/);
    } finally {
      await drop(db);
    }
  });

  test(`${name}: the operator's DDL for keys that are SQL words or symbols runs, and a 64-bit integer is stored exactly`, async () => {
    const db = await open();
    try {
      const columns = inferColumns([{ group: 1, '@timestamp': '2024-05-01T10:00:00Z', '°C': 21.5, big: 9223372036854775807n, ΩMega: 'x' }]);
      const generic = genericDdl('select', columns, true);
      for (const s of ddlStatements(db.engine, generic)) await db.run(s);
      const names = ['group', '0x40timestamp', '0xb0c', 'big', 'Ωmega'];
      assert.deepEqual((await db.columns('select')).slice(4).map((c) => c.name), names);
      assert.equal(await db.insertMany('select', names, [[7, '2024-05-01T10:00:00Z', 21.5, 9223372036854775807n, 'x']]), 1);
      const r = await db.query('select "group", big, "Ωmega" from "select"');
      assert.deepEqual(r.rows.map((row) => row.map(String)), [['7', '9223372036854775807', 'x']]);
    } finally {
      await drop(db);
    }
  });

  test(`${name}: values are bound, never spliced: a quote is stored as sent`, async () => {
    const db = await open();
    try {
      await db.run('create table t1 (name varchar, v int)');
      await db.run('insert into t1 (name, v) values (?, ?)', ["O'Brien; drop table t1; --", 1]);
      const r = await db.query('select name, v from t1 where name = ?', ["O'Brien; drop table t1; --"]);
      assert.deepEqual(r.columns, ['name', 'v']);
      assert.deepEqual(r.rows, [["O'Brien; drop table t1; --", 1]]);
    } finally {
      await drop(db);
    }
  });

  test(`${name}: a failed transaction leaves nothing behind`, async () => {
    const db = await open();
    try {
      await db.run('create table t2 (v int not null)');
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.run('insert into t2 (v) values (?)', [1]);
          await tx.run('insert into t2 (v) values (?)', [null]);
        }),
      );
      assert.deepEqual((await db.query('select count(*) as n from t2')).rows.map((r) => Number(r[0])), [0]);
      await db.transaction(async (tx) => {
        await tx.run('insert into t2 (v) values (?)', [1]);
        await tx.run('insert into t2 (v) values (?)', [2]);
      });
      assert.deepEqual((await db.query('select v from t2 order by v')).rows, [[1], [2]]);
    } finally {
      await drop(db);
    }
  });

  test(`${name}: insertMany writes every row, inside a caller's transaction too`, async () => {
    const db = await open();
    try {
      await db.run('create table t3 (a int, b varchar, "order" int)');
      const rows = Array.from({ length: 2500 }, (_, i) => [i, `v${i}`, i % 7]);
      assert.equal(await db.insertMany('t3', ['a', 'b', 'order'], rows), 2500);
      await assert.rejects(db.transaction(async (tx) => {
        await tx.insertMany('t3', ['a', 'b', 'order'], [[1, 'x', 1]]);
        throw new Error('abort');
      }));
      assert.deepEqual((await db.query('select count(*), sum(a) from t3')).rows.map((r) => r.map(Number)), [[2500, (2499 * 2500) / 2]]);
    } finally {
      await drop(db);
    }
  });
}
