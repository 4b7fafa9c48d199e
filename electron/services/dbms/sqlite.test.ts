import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adapterSuite } from './adapter.suite.js';
import { SqliteAdapter } from './sqlite.js';

adapterSuite('sqlite file', async () => new SqliteAdapter(join(await mkdtemp(join(tmpdir(), 'edgelake-sqlite-')), 'test.dbms')), async (db) => {
  await db.close();
  await rm(join(db.storage, '..'), { recursive: true, force: true });
});
adapterSuite('sqlite memory', async () => new SqliteAdapter('memory'), (db) => db.close());
