// What the node needs of a database, whatever the engine: SQLite (embedded, the default) or PostgreSQL (for large
// operators). Both adapters pass one shared test suite (adapter.suite.ts). Statements take bound parameters:
// values are never spliced into SQL text (EdgeLake's INSERT breaks on a `'` in a value; we bind).

export type Row = Record<string, unknown>;

export interface QueryResult {
  columns: string[];
  rows: unknown[][];
}

export interface ColumnInfo {
  name: string;
  /** The type as EdgeLake prints it (`integer`, `timestamp without time zone`, `char(3)`, `int`, ...). */
  type: string;
}

export type Transaction = Pick<DbmsAdapter, 'query' | 'run' | 'insertMany'>;

/** A quoted SQL identifier (table and column names come from files: never trusted as SQL). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * How to open another connection to the same database (the operator's ingestion workers open their own).
 * An in-memory SQLite database has none: it lives in one connection only.
 */
export type ConnectionSpec =
  | { engine: 'sqlite'; path: string }
  | { engine: 'psql'; database: string; host: string; port: number; user: string; password?: string | undefined };

export interface DbmsAdapter {
  readonly engine: 'sqlite' | 'psql';
  readonly spec: ConnectionSpec | undefined;
  /** `Local` for SQLite, `ip:port` for PostgreSQL (the IP:Port column of `get databases`). */
  readonly ipPort: string;
  /** Where the data lives: the SQLite file, `memory`, or the PostgreSQL database name. */
  readonly storage: string;
  /** The Configuration column of `get databases`. */
  readonly configuration: string;
  query(sql: string, params?: readonly unknown[]): Promise<QueryResult>;
  /** Runs statements that return no rows (DDL, inserts); returns the number of changed rows. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Inserts many rows into `table` (columns in order) efficiently; joins the caller's transaction if any. */
  insertMany(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<number>;
  /** Runs `fn` in one transaction: all of its statements commit together or none does. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  tables(): Promise<string[]>;
  columns(table: string): Promise<ColumnInfo[]>;
  close(): Promise<void>;
}
