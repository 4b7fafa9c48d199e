// The Archive navigator: !archive_dir laid out as YY/MM/DD (as EdgeLake lays it), a decompressed preview of a
// file, and re-ingest (the file back into !watch_dir under its short name: the operator then decides, and
// reports a duplicate when the file's rows are still recorded).
import { createReadStream } from 'node:fs';
import { readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { ArchiveListing, ErrorFileContent } from '../../../shared/types.js';
import type { EdgeNode } from '../node.js';
import { parseFileName } from '../operator/file-name.js';

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

export async function reingestArchive(node: EdgeNode, path: string): Promise<{ reingestedAs: string }> {
  const file = resolve(node, path);
  if (!(await stat(file).catch(() => undefined))?.isFile()) throw new Error(`'${path}' is not a file of the archive`);
  const name = path.split('/').pop()!;
  const meta = parseFileName(name);
  const shortName = `${meta.dbms}.${meta.table}.${meta.source}.${meta.type}`;
  const { data, truncated } = await head(file, Number.MAX_SAFE_INTEGER);
  if (truncated) throw new Error(`'${path}' could not be read whole`);
  const watch = node.dictionary.get('watch_dir')!;
  const tmp = join(watch, `.${shortName}.reingest`);
  await writeFile(tmp, data);
  await rename(tmp, join(watch, shortName));
  return { reingestedAs: shortName };
}
