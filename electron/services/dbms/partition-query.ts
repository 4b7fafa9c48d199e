// Local queries over partitioned tables: the parent table stays empty and its rows live in par_<table>_... tables
// (partitions.ts), so `select ... from readings` reads the parent and its partitions as one relation. EdgeLake
// splits such a query per partition and merges the results; a UNION ALL in place of the table gives the same rows
// for any query (aggregates, joins, ordering) and lets the database push conditions down into each partition.
import { ident } from './adapter.js';
import { partitionsOf } from './partitions.js';

/** A table name after FROM or JOIN (bare or double-quoted), outside string literals. */
const TABLE_REF = /\b(from|join)(\s+)("([^"]+)"|([a-z_][a-z0-9_]*))(?![a-z0-9_.(])/gi;

const KEYWORDS = new Set(['where', 'group', 'order', 'limit', 'offset', 'join', 'inner', 'left', 'right', 'full', 'cross', 'natural', 'on', 'using', 'union', 'except', 'intersect', 'having', 'window']);

export function rewriteForPartitions(sql: string, tables: readonly string[]): string {
  if (!tables.some((t) => t.startsWith('par_'))) return sql;
  // Work on the text outside '...' literals only.
  return sql
    .split(/('(?:[^']|'')*')/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(TABLE_REF, (whole, keyword: string, space: string, _ref: string, quoted: string | undefined, bare: string | undefined, at: number, text: string) => {
            const table = (quoted ?? bare!).toLowerCase();
            const partitions = partitionsOf(tables, table);
            if (partitions.length === 0) return whole;
            const union = [table, ...partitions].map((t) => `select * from ${ident(t)}`).join(' union all ');
            // `from readings r` / `from readings as r` keep their alias; otherwise the table's own name is the alias.
            const next = /^\s+(?:as\s+)?([a-z_][a-z0-9_]*)/i.exec(text.slice(at + whole.length))?.[1];
            const aliased = next !== undefined && !KEYWORDS.has(next.toLowerCase());
            return `${keyword}${space}(${union})${aliased ? '' : ` as ${ident(table)}`}`;
          }),
    )
    .join('');
}
