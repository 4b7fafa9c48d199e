// Identifiers in the DDL text the node generates (the operator's CREATE TABLE / CREATE INDEX, kept in `table`
// policies). EdgeLake writes them bare, so a JSON key like `group` or `@timestamp` (-> `0x40timestamp`) breaks its
// CREATE TABLE with a syntax error. Here a name is double-quoted when a bare name would not work on SQLite or
// PostgreSQL: anything but [a-z_][a-z0-9_]*, and the words either engine reserves. Plain names stay bare, so the
// DDL of an ordinary table is EdgeLake's text byte for byte. Statements with bound values quote every name
// (adapter.ts `ident`).
import { ident } from './adapter.js';

/**
 * Words a bare column or table name cannot be, lower case: SQLite's keywords that its parser does not take as
 * identifiers (tried one by one in CREATE TABLE / CREATE INDEX / INSERT / SELECT on better-sqlite3's SQLite; `temp`,
 * `key`, `first`... work bare) and PostgreSQL's reserved words, including those that "can be function or type"
 * (postgresql.org/docs/current/sql-keywords-appendix.html).
 */
const RESERVED = new Set(
  (
    // SQLite
    'add all alter and as autoincrement between case cast check collate commit constraint create current_date current_time ' +
    'current_timestamp default deferrable delete distinct drop else escape except exists foreign from group having in index ' +
    'insert intersect into is isnull join limit not nothing notnull null on or order primary raise references returning select ' +
    'set table then to transaction union unique update using values when where ' +
    // PostgreSQL
    'analyse analyze any array asc asymmetric authorization binary both collation column concurrently cross current_catalog ' +
    'current_role current_schema current_user desc do end false fetch for freeze full grant ilike initially inner lateral leading ' +
    'left like localtime localtimestamp natural offset only outer overlaps placing right session_user similar some symmetric ' +
    'system_user tablesample trailing true user variadic verbose window with'
  ).split(' '),
);

/** A name as it goes into generated DDL: bare when that is safe on both engines, else double-quoted. */
export function sqlName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : ident(name);
}

/**
 * Applies `edit` to the parts of a statement outside double-quoted identifiers (the SQLite translation lower-cases
 * the generic DDL: a quoted name keeps its case, since a column named `Ω` must stay `Ω`).
 */
export function outsideQuotedNames(sql: string, edit: (part: string) => string): string {
  return sql
    .split(/("(?:[^"]|"")*")/)
    .map((part, i) => (i % 2 === 1 ? part : edit(part)))
    .join('');
}
