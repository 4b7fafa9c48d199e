// The TSD Info panel's queries: filtering, sorting and paging done by the database (tsd_info can hold millions of
// rows), with bound parameters and a whitelist of sort columns.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParsedRequestOf } from '../../../shared/contract.js';
import type { TsdLineage, TsdPage, TsdRow } from '../../../shared/types.js';
import type { EdgeNode } from '../node.js';
import { archiveFolder } from '../operator/archive-file.js';
import { parseDate } from '../operator/dates.js';
import { ensureTsdConsoleIndexes } from '../dbms/tsd-schema.js';

/** Totals above this are shown as a lower bound: counting millions of rows for every page is not worth it. */
export const TOTAL_CAP = 100_000;
const indexed = new WeakSet<object>();

const SORT_COLUMNS: Record<string, string> = { id: 'file_id', dbms: 'dbms_name', table: 'table_name', source: 'source', date: 'file_time', rows: 'rows' };
const COLUMNS = 'file_id, dbms_name, table_name, source, file_hash, instructions, file_time, rows, status1, status2';

function toRow(r: unknown[]): TsdRow {
  const time = r[6] instanceof Date ? r[6].toISOString().replace('T', ' ').replace('Z', '') : String(r[6]);
  return { id: Number(r[0]), dbms: String(r[1]), table: String(r[2]), source: String(r[3]), hash: String(r[4]), instructions: String(r[5]), date: time, rows: Number(r[7] ?? 0), status1: String(r[8] ?? ''), status2: String(r[9] ?? '') };
}

export async function queryTsd(node: EdgeNode, q: ParsedRequestOf<'tsd:query'>): Promise<TsdPage> {
  const db = node.databases.get('almgm');
  if (!indexed.has(db)) {
    await ensureTsdConsoleIndexes(db); // tables created by other software lack them
    indexed.add(db);
  }
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, ...values: unknown[]) => {
    parts.push(condition);
    params.push(...values);
  };
  if (q.dbms) add('dbms_name = ?', q.dbms.toLowerCase());
  if (q.table) add('table_name = ?', q.table.toLowerCase());
  if (q.status) add('(status1 = ? or status2 = ?)', q.status, q.status);
  // A file is found by the start of its source segment or of its hash (both use an index).
  if (q.search) {
    const prefix = q.search.trim();
    const next = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    add('((source >= ? and source < ?) or (file_hash >= ? and file_hash < ?))', prefix, next, prefix.toLowerCase(), next.toLowerCase());
  }
  if (q.from) add('file_time >= ?', parseDate(q.from));
  if (q.to) add('file_time <= ?', parseDate(q.to));
  const where = parts.length ? `where ${parts.join(' and ')}` : '';
  const order = `${SORT_COLUMNS[q.sort]} ${q.direction === 'asc' ? 'asc' : 'desc'}${q.sort === 'id' ? '' : `, file_id ${q.direction === 'asc' ? 'asc' : 'desc'}`}`;
  const total = Number((await db.query(`select count(*) from (select 1 from tsd_info ${where} limit ${TOTAL_CAP + 1})`, params)).rows[0]![0]);
  const rows = await db.query(`select ${COLUMNS} from tsd_info ${where} order by ${order} limit ? offset ?`, [...params, q.pageSize, q.page * q.pageSize]);
  return { rows: rows.rows.map(toRow), total: Math.min(total, TOTAL_CAP), totalCapped: total > TOTAL_CAP, page: q.page, pageSize: q.pageSize };
}

export async function tsdLineage(node: EdgeNode, id: number): Promise<TsdLineage> {
  const db = node.databases.get('almgm');
  const r = await db.query(`select ${COLUMNS} from tsd_info where file_id = ?`, [id]);
  if (r.rows.length === 0) throw new Error(`no tsd_info row with id ${id}`);
  const row = toRow(r.rows[0]!);
  const member = node.operator.member();
  const at = new Date(`${row.date.replace(' ', 'T').slice(0, 23)}Z`);
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${p(at.getUTCFullYear() % 100)}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}${p(at.getUTCHours())}${p(at.getUTCMinutes())}${p(at.getUTCSeconds())}`;
  const name = `${row.dbms}.${row.table}.${row.source}.${row.hash}.${row.instructions}.${member}.${row.id}.${stamp}.json`;
  const archiveDir = node.dictionary.get('archive_dir')!;
  const candidates = [join(archiveFolder(archiveDir, at), `${name}.gz`), join(archiveFolder(archiveDir, at), name)];
  let archivePath: string | undefined;
  for (const c of candidates) {
    if (await access(c).then(() => true, () => false)) {
      archivePath = c;
      break;
    }
  }
  const segments = [
    ['dbms', row.dbms],
    ['table', row.table],
    ['source', row.source],
    ['hash', row.hash],
    ['instructions', row.instructions],
    ['member', member],
    ['row id', String(row.id)],
    ['date', stamp],
  ].map(([n, v]) => ({ name: n!, value: v! }));
  return { row, segments, archivePath, archived: archivePath !== undefined };
}
