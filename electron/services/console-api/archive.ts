// The Archive navigator: !archive_dir laid out as YY/MM/DD (as EdgeLake lays it), a decompressed preview of a
// file, and re-ingest: planned first (the rows it adds, or the tsd_info record that makes it a duplicate), then the
// file back into !watch_dir under its identity (its hash kept), the operator's outcome following as an event.
import { createReadStream } from 'node:fs';
import { copyFile, readdir, rename, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { ArchiveListing, ErrorFileContent, ReingestPlan, ReingestResult } from '../../../shared/types.js';
import { CommandError } from '../core/status.js';
import type { EdgeNode } from '../node.js';
import { fileHash, parseFileName } from '../operator/file-name.js';
import { parseJsonRows } from '../operator/json-rows.js';

const MAX_SHOWN = 256 * 1024;

function resolve(node: EdgeNode, path: string): string {
  // The contract's pattern already limits `path` to YY/MM/DD[/file]; join keeps it inside the archive.
  return join(node.dictionary.get('archive_dir')!, path);
}

export async function listArchive(node: EdgeNode, path: string): Promise<ArchiveListing> {
  const dir = resolve(node, path);
  const names = (await readdir(dir).catch(() => [] as string[])).sort();
  const directories: string[] = [];
  const files: ArchiveListing['files'] = [];
  for (const name of names) {
    const s = await stat(join(dir, name)).catch(() => undefined);
    if (!s) continue;
    if (s.isDirectory()) directories.push(name);
    else if (!name.includes('.tmp-')) files.push({ name, size: s.size, time: s.mtime.toISOString() });
  }
  return { path, directories, files };
}

/** The first bytes of a file, gunzipped when it is compressed. */
async function head(path: string, limit: number): Promise<{ data: Buffer; truncated: boolean }> {
  const source = createReadStream(path);
  const stream = path.endsWith('.gz') ? source.pipe(createGunzip()) : source;
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > limit) {
      truncated = true;
      source.destroy();
      break;
    }
  }
  return { data: Buffer.concat(chunks).subarray(0, limit), truncated };
}

export async function previewArchive(node: EdgeNode, path: string): Promise<ErrorFileContent> {
  const file = resolve(node, path);
  if (!(await stat(file).catch(() => undefined))?.isFile()) throw new Error(`'${path}' is not a file of the archive`);
  const { data, truncated } = await head(file, MAX_SHOWN);
  return { file: path, content: data.toString('utf8'), truncated };
}

/** tsd_info's record of a hash, and whether tsd_info is there to ask (almgm connected, the table created). */
async function recordOf(node: EdgeNode, hash: string): Promise<Pick<ReingestPlan, 'recorded' | 'tsdInfo'>> {
  if (!node.databases.has('almgm')) return { tsdInfo: false };
  const almgm = node.databases.get('almgm');
  if (!(await almgm.tables()).includes('tsd_info')) return { tsdInfo: false };
  const r = await almgm.query('select file_id, file_time, rows from tsd_info where file_hash = ?', [hash]);
  const row = r.rows[0] as [number, string | Date, number | null] | undefined;
  if (!row) return { tsdInfo: true };
  const time = row[1] instanceof Date ? row[1].toISOString().replace('T', ' ').replace('Z', '') : String(row[1]);
  return { tsdInfo: true, recorded: { id: Number(row[0]), time, rows: Number(row[2] ?? 0) } };
}

/**
 * What re-ingest would do. The file goes back as dbms.table.source.hash.instructions (operator.md §3) with the hash
 * of its archived name: the operator takes the name's hash as the file's identity and finds it in tsd_info, where a
 * short name would make it compute a hash of its own (another one when the producer named the hash) and store the
 * rows a second time.
 */
export async function planReingest(node: EdgeNode, path: string): Promise<ReingestPlan> {
  const file = resolve(node, path);
  if (!(await stat(file).catch(() => undefined))?.isFile()) throw new Error(`'${path}' is not a file of the archive`);
  const name = basename(file);
  const meta = parseFileName(name);
  if (meta.type !== 'json') throw new Error(`'${name}' is not a JSON file: only JSON files are re-ingested`);
  const { data } = await head(file, Number.MAX_SAFE_INTEGER);
  let rows: number;
  try {
    rows = parseJsonRows(data.toString('utf8')).length;
  } catch (err) {
    throw new Error(`'${name}' does not hold JSON rows: ${err instanceof CommandError ? (err.detail ?? err.message) : (err as Error).message}`, { cause: err });
  }
  const hash = meta.hash !== '0' ? meta.hash : fileHash(meta.dbms, meta.table, data);
  const reingestAs = `${[meta.dbms, meta.table, meta.source, hash, meta.instructions].join('.')}.json${meta.compressed ? '.gz' : ''}`;
  return { path, reingestAs, dbms: meta.dbms, table: meta.table, hash, rows, ...(await recordOf(node, hash)), operatorRunning: node.operator.isRunning };
}

export async function reingestArchive(node: EdgeNode, path: string): Promise<ReingestResult> {
  const plan = await planReingest(node, path);
  if (plan.recorded) {
    const { id, time, rows } = plan.recorded;
    // The operator would refuse it (error 86) and leave it in the error directory: refused here, nothing copied.
    return { status: 'duplicate', message: `Not re-ingested: a duplicate of the file recorded in tsd_info (id ${id}, ${time}, ${rows} rows; hash ${plan.hash}). Its rows are stored.` };
  }
  const watch = node.dictionary.get('watch_dir')!;
  const target = join(watch, plan.reingestAs);
  if (await stat(target).then(() => true, () => false)) throw new Error(`'${plan.reingestAs}' is already waiting in the watch directory`);
  // The archived bytes as they are (compressed or not), under a hidden name the operator ignores until the rename.
  const tmp = join(watch, `.${plan.reingestAs}.reingest`);
  await copyFile(resolve(node, path), tmp);
  await rename(tmp, target);
  return { status: 'queued', reingestedAs: plan.reingestAs, rows: plan.rows };
}
