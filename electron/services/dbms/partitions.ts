// Time partitions of tables (operator.md §7, commands.md §9.7). `partition test readings using timestamp by 1 day`
// declares that rows of test.readings go to one table per day of their `timestamp`, named as EdgeLake names them:
//   par_<table>_<date key>_<unit letter><count, 2 digits>_<column>     e.g. par_readings_2024_05_01_d01_timestamp
// The date key for a count of 1 is the date cut to the unit (2024 / 2024_05 / 2024_05_01 / 2024_05_01_10); for a
// count n > 1 the last part is the bucket number: (day - 1) / n, (month - 1) / n, hour / n, year / n (EdgeLake's
// formulas, kept so a partition made here has the name a real node gives it). The parent table stays empty.
// Declarations live in memory only, as in EdgeLake (re-issue them in the start-up script).

export type PartitionUnit = 'year' | 'month' | 'day' | 'hour';

export interface PartitionRule {
  count: number;
  unit: PartitionUnit;
  column: string;
}

const UNITS: Record<string, PartitionUnit> = { year: 'year', years: 'year', month: 'month', months: 'month', day: 'day', days: 'day', hour: 'hour', hours: 'hour' };

/** `day`, `days`, ... as a unit, or undefined. */
export function partitionUnit(word: string): PartitionUnit | undefined {
  return UNITS[word.toLowerCase()];
}

const pad2 = (n: number) => String(Math.floor(n)).padStart(2, '0');

/** The date key of a date text (`YYYY-MM-DD[ T]HH...`), or undefined when the text is not such a date. */
export function partitionKey(rule: PartitionRule, date: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}))?/.exec(date);
  if (!m) return undefined;
  const [, y, mo, d, h] = m as unknown as [string, string, string, string, string | undefined];
  const n = rule.count;
  switch (rule.unit) {
    case 'year':
      return n === 1 ? y : String(Math.floor(Number(y) / n));
    case 'month':
      return n === 1 ? `${y}_${mo}` : `${y}_${pad2((Number(mo) - 1) / n)}`;
    case 'day':
      return n === 1 ? `${y}_${mo}_${d}` : `${y}_${mo}_${pad2((Number(d) - 1) / n)}`;
    case 'hour':
      if (h === undefined) return undefined;
      return n === 1 ? `${y}_${mo}_${d}_${h}` : `${y}_${mo}_${d}_${pad2(Number(h) / n)}`;
  }
}

/** The partition table of a row dated `date`, or undefined when the date does not fit the rule's unit. */
export function partitionName(table: string, rule: PartitionRule, date: string): string | undefined {
  const key = partitionKey(rule, date);
  return key === undefined ? undefined : `par_${table}_${key}_${rule.unit[0]}${pad2(rule.count)}_${rule.column}`;
}

const KEY_SHAPE: Record<PartitionUnit, string> = { year: '\\d{1,4}', month: '\\d{4}_\\d{2}', day: '\\d{4}_\\d{2}_\\d{2}', hour: '\\d{4}_\\d{2}_\\d{2}_\\d{2}' };
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether `name` is a partition of `table`: under `rule` when given; otherwise any EdgeLake-shaped partition name
 * (a node that restarted has partition tables but no declaration until its script re-issues it).
 */
export function isPartitionOf(name: string, table: string, rule?: PartitionRule): boolean {
  const pattern = rule
    ? `^par_${escape(table)}_${KEY_SHAPE[rule.unit]}_${rule.unit[0]}${pad2(rule.count)}_${escape(rule.column)}$`
    : `^par_${escape(table)}_\\d{1,4}(_\\d{2}){0,3}_[ymdh]\\d{2}_\\w+$`;
  return new RegExp(pattern).test(name);
}

/** The partitions of `table` among a database's tables, oldest first (names sort by date). */
export function partitionsOf(tables: readonly string[], table: string, rule?: PartitionRule): string[] {
  return tables.filter((t) => isPartitionOf(t, table, rule)).sort();
}

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The first and last date a partition holds (`get partitions where dbms = .. and table = ..`). */
export function partitionRange(table: string, rule: PartitionRule, name: string): [string, string] {
  const key = name.slice(`par_${table}_`.length, name.length - rule.column.length - 5);
  const n = rule.count;
  const [y, a, b, c] = key.split('_').map(Number) as [number, number?, number?, number?];
  switch (rule.unit) {
    case 'year': {
      const first = n === 1 ? y : y * n;
      return [`${first}-01-01`, `${first + n - 1}-12-31`];
    }
    case 'month': {
      const first = n === 1 ? a! : a! * n + 1;
      const last = n === 1 ? a! : Math.min(12, a! * n + n);
      return [`${y}-${pad2(first)}-01`, `${y}-${pad2(last)}-${pad2(daysIn(y, last))}`];
    }
    case 'day': {
      const first = n === 1 ? b! : b! * n + 1;
      const last = n === 1 ? b! : Math.min(daysIn(y, a!), (b! + 1) * n);
      return [`${y}-${pad2(a!)}-${pad2(first)}`, `${y}-${pad2(a!)}-${pad2(last)}`];
    }
    case 'hour': {
      const first = n === 1 ? c! : c! * n;
      const last = n === 1 ? c! : Math.min(23, first + n - 1);
      const day = `${y}-${pad2(a!)}-${pad2(b!)}`;
      return [`${day} ${pad2(first)}:00:00`, `${day} ${pad2(last)}:59:59`];
    }
  }
}

/** The node's partition declarations, keyed as EdgeLake keys them: `dbms.table`, `dbms.*`, `*.*`. */
export class PartitionDeclarations {
  private readonly rules = new Map<string, PartitionRule>();

  declare(dbms: string, table: string, rule: PartitionRule): void {
    this.rules.set(`${dbms.toLowerCase()}.${table.toLowerCase()}`, rule);
  }

  entries(): [string, PartitionRule][] {
    return [...this.rules.entries()];
  }

  /** The rule for a table: its own, else its database's `*`, else `*.*`. A partition itself is not partitioned. */
  ruleFor(dbms: string, table: string): PartitionRule | undefined {
    if (table.startsWith('par_')) return undefined;
    const d = dbms.toLowerCase();
    return this.rules.get(`${d}.${table.toLowerCase()}`) ?? this.rules.get(`${d}.*`) ?? this.rules.get('*.*');
  }
}
