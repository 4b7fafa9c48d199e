// SQLite through better-sqlite3: the node's default database, one file per logical dbms under !dbms_dir
// (`<name>.dbms`, as EdgeLake names it) or in memory. Synchronous underneath; the async surface matches PostgreSQL.
import Database from 'better-sqlite3';
import { ident, type ColumnInfo, type DbmsAdapter, type QueryResult, type Transaction } from './adapter.js';

/** EdgeLake prints SQLite's declared types with PostgreSQL's names for timestamps (transcripts/get-columns-*). */
function printedType(declared: string): string {
  const t = declared.toLowerCase();
  if (t === 'timestamp') return 'timestamp without time zone';
  return t;
}

function bindable(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value !== null && typeof value === 'object' && !(value instanceof Buffer)) return JSON.stringify(value);
  return value;
}

export class SqliteAdapter implements DbmsAdapter {
  readonly engine = 'sqlite' as const;
  readonly ipPort = 'Local';
  readonly configuration = 'Autocommit On, Fsync full (after each write)';
  private readonly db: Database.Database;
  private depth = 0;

  constructor(readonly storage: string) {
    this.db = new Database(storage === 'memory' ? ':memory:' : storage);
    if (storage !== 'memory') this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<QueryResult> {
    const stmt = this.db.prepare(sql);
    if (!stmt.reader) {
      stmt.run(...params.map(bindable));
      return { columns: [], rows: [] };
    }
    const columns = stmt.columns().map((c) => c.name);
    const rows = stmt.raw(true).all(...params.map(bindable)) as unknown[][];
    return { columns, rows };
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    let stmt: Database.Statement;
    try {
      stmt = this.db.prepare(sql);
    } catch (err) {
      // A script of several statements (DDL with its indexes) runs as one exec, without parameters.
      if (params.length === 0 && /more than one statement/.test((err as Error).message)) {
        this.db.exec(sql);
        return 0;
      }
      throw err;
    }
    return stmt.run(...params.map(bindable)).changes;
  }

  async insertMany(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<number> {
    const stmt = this.db.prepare(`insert into ${ident(table)} (${columns.map(ident).join(', ')}) values (${columns.map(() => '?').join(', ')})`);
    let n = 0;
    for (const row of rows) n += stmt.run(...row.map(bindable)).changes;
    return n;
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    // Nested calls join the outer transaction (savepoints are not needed by the node).
    if (this.depth > 0) return fn(this);
    this.depth++;
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = await fn(this);
      this.db.exec('COMMIT');
      return result;
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    } finally {
      this.depth--;
    }
  }

  async tables(): Promise<string[]> {
    const rows = this.db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string }[];
    return rows.map((r) => r.name);
  }

  async columns(table: string): Promise<ColumnInfo[]> {
    const rows = this.db.prepare('select name, type from pragma_table_info(?) order by cid').all(table) as { name: string; type: string }[];
    return rows.map((r) => ({ name: r.name, type: printedType(r.type) }));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
