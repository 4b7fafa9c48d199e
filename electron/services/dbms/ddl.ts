// EdgeLake's generic DDL (the `create` text of a `table` policy, operator.md §5.2) as the statements each engine
// runs: PostgreSQL takes it as written, SQLite gets its translation. Used by the operator, `create table` from a
// table policy and the adapter suite.
import { outsideQuotedNames } from './sql-names.js';

/** The generic DDL as SQLite statements (operator.md §5.2 "SQLite translation"). */
export function sqliteStatements(generic: string): string[] {
  return generic
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) =>
      outsideQuotedNames(s, (part) =>
        part
          .toLowerCase()
          .replace('create table if not exists', 'create table')
          .replace('serial primary key', 'integer primary key autoincrement')
          .replace(/(timestamp not null default )now\(\)/g, '$1current_timestamp')
          .replace(/(date not null default )now\(\)/g, "$1(date('now'))")
          .replace(/(time not null default )now\(\)/g, "$1(time('now'))"),
      ),
    );
}

/** The generic DDL as the statements of `engine`. */
export function ddlStatements(engine: string, generic: string): string[] {
  return engine === 'sqlite' ? sqliteStatements(generic) : generic.split(';').map((s) => s.trim()).filter(Boolean);
}
