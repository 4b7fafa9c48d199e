// The same suite against a real PostgreSQL server (127.0.0.1:5432, trust auth; .ci/run starts one).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { adapterSuite } from './adapter.suite.js';
import { PsqlAdapter } from './psql.js';

const server = { host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), user: process.env.PGUSER ?? 'postgres', password: process.env.PGPASSWORD };

adapterSuite(
  'psql',
  () => PsqlAdapter.connect({ ...server, database: `edgelake_test_${randomBytes(4).toString('hex')}` }),
  async (db) => {
    await db.close();
    const admin = new pg.Client({ ...server, database: 'postgres' });
    await admin.connect();
    await admin.query(`drop database if exists "${db.storage}"`);
    await admin.end();
  },
);
