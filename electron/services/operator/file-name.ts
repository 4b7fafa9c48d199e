// Watch-directory file names (operator.md §3): dbms.table[.source[.hash[.instructions]]] or all eight segments
// dbms.table.source.hash.instructions.member.rowid.yymmddHHMMSS, then the type (json, sql, gz). A name that does
// not fit is error 119 with a reason that says which segment is wrong.
import { createHash } from 'node:crypto';
import { CommandError } from '../core/status.js';

export const ERR_FILE_NAME = 119;

export interface FileName {
  dbms: string;
  table: string;
  source: string;
  /** `0` when the name carries none (the operator computes it). */
  hash: string;
  instructions: string;
  member?: string | undefined;
  rowId?: string | undefined;
  /** yymmddHHMMSS (UTC) of the recording. */
  date?: string | undefined;
  /** json, sql, ... (`.json.gz` gives `json` with compressed = true). */
  type: string;
  compressed: boolean;
}

const NAME = /^[a-z0-9_]+$/;

export function parseFileName(fileName: string): FileName {
  const fail = (why: string) => new CommandError(ERR_FILE_NAME, `${fileName}: ${why}`);
  let base = fileName;
  let compressed = false;
  if (base.endsWith('.gz')) {
    compressed = true;
    base = base.slice(0, -3);
  }
  const parts = base.split('.');
  if (parts.length < 2) throw fail('no type (expected dbms.table[.source[.hash[.instructions]]].json)');
  const type = parts.pop()!.toLowerCase();
  const n = parts.length;
  if (![2, 3, 4, 5, 8].includes(n)) {
    throw fail(`${n} segment${n === 1 ? '' : 's'} before '.${type}'; expected 2 to 5 (dbms.table[.source[.hash[.instructions]]]) or 8`);
  }
  const [dbms, table, source = '0', hash = '0', instructions = '0', member, rowId, date] = parts as string[];
  const lowerDbms = dbms!.toLowerCase();
  const lowerTable = table!.toLowerCase();
  if (!NAME.test(lowerDbms)) throw fail(`dbms name '${dbms}' may hold letters, digits and '_' only`);
  if (!NAME.test(lowerTable)) throw fail(`table name '${table}' may hold letters, digits and '_' only`);
  if (hash !== '0' && !/^[0-9a-f]{32}$/i.test(hash)) throw fail(`hash '${hash}' is not 32 hex digits`);
  if (n === 8) {
    if (!/^(\d+|@)$/.test(member!)) throw fail(`member id '${member}' is not an integer`);
    if (!/^\d+$/.test(rowId!) || Number(rowId) === 0) throw fail(`row id '${rowId}' is not a non-zero integer`);
    if (!/^\d{12}$/.test(date!)) throw fail(`date '${date}' is not yymmddHHMMSS`);
  }
  return { dbms: lowerDbms, table: lowerTable, source, hash: hash.toLowerCase(), instructions, member, rowId, date, type, compressed };
}

/** The operator's file hash: md5 of "dbms.table" followed by the file's bytes (not what `file hash` prints). */
export function fileHash(dbms: string, table: string, content: Uint8Array): string {
  return createHash('md5').update(`${dbms}.${table}`).update(content).digest('hex');
}

/** yymmddHHMMSS in UTC. */
export function tsdDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** The name a recorded file gets: all eight segments (operator.md §3, "Rename"). */
export function recordedName(f: FileName, member: string, rowId: number, at: Date): string {
  return `${f.dbms}.${f.table}.${f.source}.${f.hash}.${f.instructions}.${member}.${rowId}.${tsdDate(at)}.${f.type}`;
}
