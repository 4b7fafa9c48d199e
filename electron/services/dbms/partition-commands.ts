// The partition commands (commands.md §9.7): `partition`, `get partitions`, `drop partition`. `info table ...
// partitions` is in service.ts with the other `info table` forms.
import { tableResult } from '../command/results.js';
import type { CommandResult, CommandSpec } from '../command/types.js';
import { CommandError, Status } from '../core/status.js';
import type { DbmsAdapter } from './adapter.js';
import { ident } from './adapter.js';
import { partitionRange, partitionsOf, partitionUnit, type PartitionDeclarations, type PartitionRule } from './partitions.js';


export interface PartitionCommandDeps {
  partitions: PartitionDeclarations;
  database(name: string): DbmsAdapter;
  /** The connected databases (for `table = *` and `dbms.*`). */
  names(): string[];
}

const text = (t: string): CommandResult => ({ code: 0, output: { kind: 'text', text: t } });
const fail = (code: number, detail: string) => new CommandError(code, detail);

/** EdgeLake's format_dictionary: `\r\n` then `key : value` lines, keys padded to the longest. */
function dictionaryText(entries: [string, string][]): string {
  const width = Math.max(0, ...entries.map(([k]) => k.length));
  return `\r\n${entries.map(([k, v]) => `${k.padEnd(width)} : ${v}\r\n`).join('')}`;
}

/** A rule as Python prints EdgeLake's tuple: `(1, 'day', 'timestamp')`. */
const tuple = (r: PartitionRule) => `(${r.count}, '${r.unit}', '${r.column}')`;

/** The tables of `dbms` that `table` names (`*`: every table with a declaration that applies). */
async function tablesNamed(deps: PartitionCommandDeps, dbms: string, table: string): Promise<string[]> {
  if (table !== '*') return [table.toLowerCase()];
  const all = await deps.database(dbms).tables();
  return all.filter((t) => !t.startsWith('par_') && deps.partitions.ruleFor(dbms, t) && partitionsOf(all, t).length > 0);
}

/** Drops `name` (a partition table of `dbms`). */
async function dropTable(db: DbmsAdapter, name: string): Promise<void> {
  await db.run(`drop table ${ident(name)}`);
}

export function partitionCommands(deps: PartitionCommandDeps): CommandSpec[] {
  /** Partitions dropped by `drop partition`, per table, for `get partitions dropped`. */
  const dropped = new Map<string, string[]>();
  const noteDropped = (dbms: string, table: string, names: string[]) => dropped.set(`${dbms}.${table}`, [...(dropped.get(`${dbms}.${table}`) ?? []), ...names]);

  return [
    {
      key: 'partition',
      usage: 'partition [dbms name] [table name] using [column name] by [time interval]',
      help: "Declares time partitions: rows of the table (or '*' for every table of the database) go to one table per interval of the column.\nExample: partition test readings using timestamp by 2 days (units: year, month, day, hour; 'week' is refused, use '7 days').\nDeclarations are kept in memory: re-issue them in the start-up script.",
      minArgs: 6,
      maxArgs: 7,
      run: (_ctx, inv) => {
        const [dbms, table, using, column, by, ...interval] = inv.args as [string, string, string, string, string, ...string[]];
        if (using.toLowerCase() !== 'using' || by.toLowerCase() !== 'by') throw fail(Status.COMMAND_STRUCT, 'usage: partition <dbms> <table|*> using <column> by [<n>] year|month|day|hour');
        const words = interval.length === 1 ? interval[0]!.trim().split(/\s+/) : interval;
        const [countText, unitText] = words.length === 1 ? ['1', words[0]!] : [words[0]!, words[1]!];
        if (words.length > 2 || !/^\d+$/.test(countText) || Number(countText) < 1) {
          throw fail(Status.COMMAND_STRUCT, `Units count for time interval needs to be a positive number: '${words.join(' ')}'`);
        }
        const unit = partitionUnit(unitText);
        if (!unit) {
          throw fail(Status.COMMAND_STRUCT, /^weeks?$/i.test(unitText) ? "Time unit 'week' is not supported as partition key, use '7 days'" : `Time unit '${unitText}' is not supported as partition key (year, month, day or hour)`);
        }
        deps.partitions.declare(dbms, table, { count: Number(countText), unit, column: column.toLowerCase() });
        return { code: 0 };
      },
    },
    {
      key: 'get partitions',
      usage: 'get partitions [dropped] where dbms = [dbms name] and table = [table name] and format = [table/json]',
      help: "Partition declarations; with 'where dbms = .. and table = ..' the partitions of a table and the dates each holds; 'dropped' lists the partitions dropped.",
      maxArgs: 1,
      where: { dbms: { type: 'str' }, table: { type: 'str' }, format: { type: 'format', default: 'table' } },
      run: async (_ctx, inv) => {
        const { dbms, table } = inv.options as { dbms?: string; table?: string };
        if (inv.args[0] !== undefined) {
          if (inv.args[0] !== 'dropped') throw fail(Status.COMMAND_STRUCT, `get partitions ${inv.args[0]}: did you mean 'get partitions dropped'?`);
          if (dropped.size === 0) return text('No partitions dropped');
          return text(dictionaryText([...dropped.entries()].map(([k, v]) => [k, `[${v.map((n) => `'${n}'`).join(', ')}]`])));
        }
        if ((dbms === undefined) !== (table === undefined)) throw fail(Status.COMMAND_STRUCT, 'Database name and Table name needs to be provided');
        let entries = deps.partitions.entries();
        if (dbms !== undefined && table !== undefined && table !== '*') {
          const rule = deps.partitions.ruleFor(dbms, table);
          const names = rule ? partitionsOf(await deps.database(dbms).tables(), table.toLowerCase(), rule) : [];
          if (!rule || names.length === 0) throw fail(Status.MISSING_PAR_INFO, `No partitions info for ${dbms}.${table}`);
          const rows = names.map((n) => [n, ...partitionRange(table.toLowerCase(), rule, n)]);
          return tableResult(['Partition Name', 'Start Date', 'End Date'], rows);
        }
        if (dbms !== undefined) entries = entries.filter(([k]) => k.startsWith(`${dbms.toLowerCase()}.`));
        // EdgeLake's JSON holds the count as it printed it: "1" (transcripts/get-partitions-where-format-json.txt).
        if (inv.format === 'json') return { code: 0, output: { kind: 'json', value: Object.fromEntries(entries.map(([k, r]) => [k, [String(r.count), r.unit, r.column]])) } };
        if (entries.length === 0) return text('No partitions declared');
        return text(dictionaryText(entries.map(([k, r]) => [k, tuple(r)])));
      },
    },
    {
      key: 'drop partition',
      usage: 'drop partition [partition name] where dbms = [dbms name] and table = [table name] and keep = [number]',
      help: "Drops the oldest partition of a table (never its only one); 'keep = n' drops the oldest until n remain; a name drops that partition, '*' all of them.",
      maxArgs: 1,
      where: { dbms: { type: 'str', required: true }, table: { type: 'str', required: true }, keep: { type: 'int' } },
      run: async (_ctx, inv) => {
        const dbms = String(inv.options.dbms).toLowerCase();
        const table = String(inv.options.table).toLowerCase();
        const keep = inv.options.keep as number | undefined;
        // As EdgeLake: a table without a declaration fails before the database is looked at.
        if (table !== '*' && !deps.partitions.ruleFor(dbms, table)) throw fail(Status.DROP_PARTITION_FAILED, `Table ${dbms}.${table} is not partitioned`);
        const db = deps.database(dbms);
        const named = inv.args[0];
        if (named !== undefined) {
          if (keep !== undefined) throw fail(Status.COMMAND_STRUCT, "drop partition: give a partition name or 'keep', not both");
          const rule = deps.partitions.ruleFor(dbms, table);
          if (!rule) throw fail(Status.DROP_PARTITION_FAILED, `Table ${dbms}.${table} is not partitioned`);
          const names = partitionsOf(await db.tables(), table, rule);
          if (names.length === 0) throw fail(Status.DROP_PARTITION_FAILED, `Table ${table} in dbms ${dbms} does not contain partitions`);
          const victims = named === '*' ? names : names.includes(named.toLowerCase()) ? [named.toLowerCase()] : undefined;
          if (!victims) throw fail(Status.DROP_PARTITION_FAILED, `Wrong partition name: ${named} is not a partition of ${dbms}.${table}`);
          for (const v of victims) await dropTable(db, v);
          noteDropped(dbms, table, victims);
          return { code: 0 };
        }
        if (keep !== undefined && keep < 0) throw fail(Status.COMMAND_STRUCT, `keep = ${keep}: the number of partitions to keep cannot be negative`);
        const tables = await tablesNamed(deps, dbms, table);
        let failure: CommandError | undefined;
        for (const t of tables) {
          const rule = deps.partitions.ruleFor(dbms, t);
          if (!rule) {
            failure = fail(Status.DROP_PARTITION_FAILED, `Table ${dbms}.${t} is not partitioned`);
            continue;
          }
          const names = partitionsOf(await db.tables(), t, rule);
          // Without keep: the oldest one, never the last one left. With keep = n: the oldest until n remain.
          const min = keep ?? 1;
          if (names.length === 0) failure = fail(Status.DROP_PARTITION_FAILED, `Drop Table partition: Table ${dbms}.${t} has no partitioned data`);
          else if (names.length === 1 && keep === undefined) failure = fail(Status.DROP_PARTITION_FAILED, `Drop Table partition: Table ${dbms}.${t} has only one partition`);
          else if (names.length <= min) failure = fail(Status.DROP_PARTITION_FAILED, `Drop Table partition: Table ${dbms}.${t} has ${names.length} partitions which fails to satisfy the minimum required (${min})`);
          else {
            const victims = keep === undefined ? names.slice(0, 1) : names.slice(0, names.length - keep);
            for (const v of victims) await dropTable(db, v);
            noteDropped(dbms, t, victims);
          }
        }
        if (failure && (table !== '*' || tables.length === 0)) throw failure;
        if (tables.length === 0) throw fail(Status.DROP_PARTITION_FAILED, `No partitioned table in dbms ${dbms}`);
        return { code: 0 };
      },
    },
  ];
}
