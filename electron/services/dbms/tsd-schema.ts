// The tsd_info table (operator.md §10): one row per ingested file, keyed by its hash. SQLite DDL exactly as
// EdgeLake creates it (observed in sqlite_master); PostgreSQL uses the generic form (`file_id SERIAL`).
import type { DbmsAdapter } from './adapter.js';

export const TSD_INFO_SQLITE = [
  'CREATE TABLE tsd_info (file_id integer primary key autoincrement not null,dbms_name varchar not null,table_name varchar not null,source varchar not null,file_hash varchar  not null,instructions varchar not null,file_time timestamp not null,rows int,status1 varchar,status2 varchar)',
  'CREATE UNIQUE INDEX hash_index on tsd_info(file_hash)',
  'CREATE INDEX time_index on tsd_info(file_time)',
];

export const TSD_INFO_PSQL = [
  'CREATE TABLE tsd_info (file_id SERIAL PRIMARY KEY NOT NULL,dbms_name varchar not null,table_name varchar not null,source varchar not null,file_hash varchar  not null,instructions varchar not null,file_time timestamp not null,rows int,status1 varchar,status2 varchar)',
  'CREATE UNIQUE INDEX hash_index on tsd_info(file_hash)',
  'CREATE INDEX time_index on tsd_info(file_time)',
];

/**
 * Indexes for the console's TSD Info browser (filter by table, sort by rows/date, find by source) on millions of
 * rows. The table itself stays EdgeLake's; these are ours and harmless to peers (tsd_info is local to a node).
 */
export const TSD_CONSOLE_INDEXES = [
  'CREATE INDEX IF NOT EXISTS tsd_info_table_time_index on tsd_info(table_name, file_time)',
  'CREATE INDEX IF NOT EXISTS tsd_info_table_rows_index on tsd_info(table_name, rows)',
  'CREATE INDEX IF NOT EXISTS tsd_info_rows_index on tsd_info(rows)',
  'CREATE INDEX IF NOT EXISTS tsd_info_source_index on tsd_info(source)',
];

export async function ensureTsdConsoleIndexes(db: DbmsAdapter): Promise<void> {
  for (const statement of TSD_CONSOLE_INDEXES) await db.run(statement);
}

/** Creates tsd_info when missing; returns false when it already existed. One transaction: all or nothing. */
export async function createTsdInfo(db: DbmsAdapter): Promise<boolean> {
  if ((await db.tables()).includes('tsd_info')) return false;
  const ddl = db.engine === 'sqlite' ? TSD_INFO_SQLITE : TSD_INFO_PSQL;
  await db.transaction(async (tx) => {
    for (const statement of ddl) await tx.run(statement);
    for (const statement of TSD_CONSOLE_INDEXES) await tx.run(statement);
  });
  return true;
}

/** The master's ledger table (policies.md §6), as EdgeLake creates it with `create table ledger where dbms = blockchain`. */
export const LEDGER_SQLITE = [
  'CREATE TABLE ledger (sequence_id integer primary key autoincrement,policy_type varchar not null,policy_id varchar not null,company_name varchar,date timestamp not null default current_timestamp,host varchar not null,status varchar,policy varchar)',
  'CREATE UNIQUE INDEX hash_index on ledger(policy_id)',
  'CREATE INDEX time_index on ledger(date)',
];

export const LEDGER_PSQL = [
  'CREATE TABLE ledger (sequence_id SERIAL PRIMARY KEY,policy_type varchar not null,policy_id varchar not null,company_name varchar,date timestamp not null default now(),host varchar not null,status varchar,policy varchar)',
  'CREATE UNIQUE INDEX hash_index on ledger(policy_id)',
  'CREATE INDEX time_index on ledger(date)',
];

export async function createLedgerTable(db: DbmsAdapter): Promise<boolean> {
  if ((await db.tables()).includes('ledger')) return false;
  await db.transaction(async (tx) => {
    for (const statement of db.engine === 'sqlite' ? LEDGER_SQLITE : LEDGER_PSQL) await tx.run(statement);
  });
  return true;
}
