// PostgreSQL through node-postgres: the option for large operators. The logical dbms is a PostgreSQL database of
// the same name on the configured server; it is created on connect when missing (EdgeLake does the same).
import pg from 'pg';
import { ident, type ColumnInfo, type ConnectionSpec, type DbmsAdapter, type QueryResult, type Transaction } from './adapter.js';

export interface PsqlConfig {
  database: string;
  host: string;
  port: number;
  user: string;
  password?: string | undefined;
}

/** `$1, $2` placeholders for `?` ones outside quotes, so callers write one SQL dialect for both engines. */
export function toPgParams(sql: string): string {
  let n = 0;
  let quote: string | undefined;
  let out = '';
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '?') {
      out += `$${++n}`;
      continue;
    }
    out += ch;
  }
  return out;
}

function printedType(dataType: string, length: number | null): string {
  if (dataType === 'character') return `char(${length ?? 1})`;
  if (dataType === 'character varying') return 'varchar';
  return dataType;
}

export class PsqlAdapter implements DbmsAdapter {
  readonly engine = 'psql' as const;
  readonly configuration = 'Autocommit On';
  readonly ipPort: string;
  readonly storage: string;

  readonly spec: ConnectionSpec;

  private constructor(
    private readonly pool: pg.Pool,
    config: PsqlConfig,
  ) {
    this.spec = { engine: 'psql', ...config };
    this.ipPort = `${config.host}:${config.port}`;
    this.storage = config.database;
  }

  static async connect(config: PsqlConfig): Promise<PsqlAdapter> {
    const base = { host: config.host, port: config.port, user: config.user, password: config.password, connectionTimeoutMillis: 5000 };
    const admin = new pg.Client({ ...base, database: 'postgres' });
    await admin.connect();
    try {
      const exists = await admin.query('select 1 from pg_database where datname = $1', [config.database]);
      if (exists.rowCount === 0) await admin.query(`create database "${config.database.replace(/"/g, '""')}"`);
    } finally {
      await admin.end();
    }
    const pool = new pg.Pool({ ...base, database: config.database, max: 4, idleTimeoutMillis: 10_000 });
    await (await pool.connect()).release();
    return new PsqlAdapter(pool, config);
  }

  private async exec(client: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[]): Promise<pg.QueryResult> {
    return client.query({ text: params.length ? toPgParams(sql) : sql, values: [...params], rowMode: 'array' });
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<QueryResult> {
    const r = await this.exec(this.pool, sql, params);
    return { columns: (r.fields ?? []).map((f) => f.name), rows: (r.rows ?? []) as unknown[][] };
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    const r = await this.exec(this.pool, sql, params);
    return r.rowCount ?? 0;
  }

  async insertMany(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<number> {
    return this.transaction((tx) => tx.insertMany(table, columns, rows));
  }

  private async insertBatches(client: pg.PoolClient, table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<number> {
    // Multi-row VALUES in batches below PostgreSQL's 65535 bound parameters.
    const perBatch = Math.max(1, Math.floor(60_000 / Math.max(1, columns.length)));
    let n = 0;
    for (let i = 0; i < rows.length; i += perBatch) {
      const batch = rows.slice(i, i + perBatch);
      const values = batch.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
      const r = await client.query(`insert into ${ident(table)} (${columns.map(ident).join(', ')}) values ${values}`, batch.flat() as unknown[]);
      n += r.rowCount ?? 0;
    }
    return n;
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const tx = {
        query: async (sql: string, params: readonly unknown[] = []) => {
          const r = await this.exec(client, sql, params);
          return { columns: (r.fields ?? []).map((f) => f.name), rows: (r.rows ?? []) as unknown[][] };
        },
        run: async (sql: string, params: readonly unknown[] = []) => (await this.exec(client, sql, params)).rowCount ?? 0,
        insertMany: (table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]) => this.insertBatches(client, table, columns, rows),
      };
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async tables(): Promise<string[]> {
    const r = await this.pool.query("select table_name from information_schema.tables where table_schema = 'public' order by table_name");
    return r.rows.map((row: { table_name: string }) => row.table_name);
  }

  async columns(table: string): Promise<ColumnInfo[]> {
    const r = await this.pool.query(
      "select column_name, data_type, character_maximum_length from information_schema.columns where table_schema = 'public' and table_name = $1 order by ordinal_position",
      [table],
    );
    return r.rows.map((row: { column_name: string; data_type: string; character_maximum_length: number | null }) => ({
      name: row.column_name,
      type: printedType(row.data_type, row.character_maximum_length),
    }));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
