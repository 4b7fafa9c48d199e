// Inserting planned rows into a table or into its time partitions (dbms/partitions.ts names them): each row goes to
// par_<table>_<date>_... by its partition column, a partition is created on first use with the parent's columns and
// indexes. A table without the partition column (matched by a `dbms.*` declaration) is not partitioned: EdgeLake
// fails its files instead (error 27).
import { CommandError, Status } from '../core/status.js';
import { ident, type DbmsAdapter, type Transaction } from '../dbms/adapter.js';
import { partitionName, type PartitionRule } from '../dbms/partitions.js';

/** Creates a partition with the parent's columns and indexes (their names carried over to the partition). */
async function createPartition(tx: Transaction, engine: DbmsAdapter['engine'], parent: string, partition: string): Promise<void> {
  if (engine === 'psql') {
    await tx.run(`create table if not exists ${ident(partition)} (like ${ident(parent)} including all)`);
    return;
  }
  const ddl = await tx.query("select type, name, sql from sqlite_master where tbl_name = ? and sql is not null order by type desc", [parent]);
  for (const [type, objectName, sql] of ddl.rows as [string, string, string][]) {
    if (type === 'table') {
      await tx.run(sql.replace(/^(\s*create\s+table\s+)("[^"]+"|\S+?)(\s*\()/i, `$1${ident(partition)}$3`));
    } else if (type === 'index') {
      const indexName = objectName.startsWith(parent) ? `${partition}${objectName.slice(parent.length)}` : `${partition}_${objectName}`;
      const on = new RegExp(`\\bon\\s+("${parent}"|${parent})\\s*\\(`, 'i');
      await tx.run(sql.replace(/^(\s*create\s+(?:unique\s+)?index\s+)("[^"]+"|\S+)/i, `$1${ident(indexName)}`).replace(on, `on ${ident(partition)}(`));
    }
  }
}

export interface PlannedInsert {
  /** Inserts a chunk of planned rows (`from`: the index of its first row, for messages); returns the rows inserted. */
  insert(chunk: unknown[][], from: number): Promise<number>;
  /** The partitions written so far. */
  readonly touched: ReadonlySet<string>;
}

/** An inserter for one transaction into `table` (columns in planned order), by `rule` when it applies. */
export async function plannedInsert(tx: Transaction, db: DbmsAdapter, table: string, columns: readonly string[], rule: PartitionRule | undefined, label: string): Promise<PlannedInsert> {
  const partitionColumn = rule ? columns.indexOf(rule.column) : -1;
  const touched = new Set<string>();
  if (!rule || partitionColumn < 0) return { insert: (chunk) => tx.insertMany(table, columns, chunk), touched };
  const existing = new Set(await db.tables());
  return {
    touched,
    async insert(chunk, from) {
      const groups = new Map<string, unknown[][]>();
      chunk.forEach((values, i) => {
        const date = values[partitionColumn];
        const target = typeof date === 'string' ? partitionName(table, rule, date) : undefined;
        if (!target) throw new CommandError(Status.WRONG_JSON, `${label}: row ${from + i + 1}: partition column '${rule.column}' holds ${JSON.stringify(date)}, not a date by ${rule.unit}`);
        const group = groups.get(target);
        if (group) group.push(values);
        else groups.set(target, [values]);
      });
      let n = 0;
      for (const [target, values] of groups) {
        if (!existing.has(target)) {
          await createPartition(tx, db.engine, table, target);
          existing.add(target);
        }
        n += await tx.insertMany(target, columns, values);
        touched.add(target);
      }
      return n;
    },
  };
}
