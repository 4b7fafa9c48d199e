// Watch-directory file names (operator.md §3): dbms.table[.source[.hash[.instructions]]] or all eight segments
// dbms.table.source.hash.instructions.member.rowid.yymmddHHMMSS, then the type (json, sql, gz). A name that does
// not fit is error 119 with a reason that says which segment is wrong.
import { createHash } from 'node:crypto';
import { CommandError, Status } from '../core/status.js';


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
/** The types the operator ingests (with `.gz` after them or not). */
const TYPES = ['json', 'sql'];
const RENAME_HINT = 'name the file dbms.table[.source[.hash[.instructions]]].json (e.g. test.readings.json), or .sql';

export function parseFileName(fileName: string): FileName {
  const fail = (why: string) => new CommandError(Status.FILE_NAME_STRUCT, `${fileName}: ${why}; ${RENAME_HINT}`);
  let base = fileName;
  let compressed = false;
  if (base.endsWith('.gz')) {
    compressed = true;
    base = base.slice(0, -3);
  }
  const parts = base.split('.');
  if (parts.length < 2) throw fail('the name has no type (no .json or .sql at its end)');
  const type = parts.pop()!.toLowerCase();
  const n = parts.length;
  // An unknown type first: 'readings.fuzzext' is a file of the wrong kind rather than a name one segment short.
  if (!TYPES.includes(type) && ![2, 3, 4, 5, 8].includes(n)) throw fail(`'.${type}' is not a type the operator takes (.json or .sql, optionally gzipped as .json.gz or .sql.gz)`);
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

/** A file name may hold 255 bytes on every file system the node runs on (ext4, APFS, NTFS counts UTF-16 units). */
export const MAX_NAME_BYTES = 255;
/** What the operator appends to a name while writing it: `.tmp-` and a process id of up to 7 digits. */
export const TMP_SUFFIX_BYTES = 12;

export function nameBytes(name: string): number {
  return Buffer.byteLength(name, 'utf8');
}

/**
 * `name` shortened so that `reserve` more bytes still fit in a file name: the start of the name, `~`, 8 hex digits
 * of the full name's md5 (two long names stay apart) and the name's type (`.json`, `.json.gz`) kept.
 */
export function fitName(name: string, reserve: number): string {
  if (nameBytes(name) + reserve <= MAX_NAME_BYTES) return name;
  const type = /(\.[A-Za-z0-9]{1,8}){1,2}$/.exec(name)?.[0] ?? '';
  const tag = `~${createHash('md5').update(name).digest('hex').slice(0, 8)}`;
  const room = MAX_NAME_BYTES - reserve - nameBytes(tag) - nameBytes(type);
  // Cut on a character boundary (a cut multi-byte character decodes to U+FFFD, which is dropped).
  const head = Buffer.from(name.slice(0, name.length - type.length)).subarray(0, Math.max(0, room)).toString('utf8').replace(/\uFFFD+$/, '');
  return `${head}${tag}${type}`;
}
