// An archived JSON file is gzip with the watch-directory name it arrived under in the header's FNAME field (RFC 1952
// §2.3.1, written as UTF-8; `gunzip -N` restores it) and the source's mtime as its own. Together they tell, after a kill between
// archiving and removing the source, that a file in the watch directory is the one archived — not a second file
// with the same bytes, which is a duplicate. Archives live in !archive_dir/YY/MM/DD under the recorded name.
import { mkdir, open, rename, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { recordedName, type FileName } from './file-name.js';

const FNAME = 0x08;
const HEADER = 10;

/** gzip of `content` naming `name` in its header (zlib writes no name: the field is spliced in after its header). */
export function gzipNamed(content: Buffer, name: string): Buffer {
  const gz = gzipSync(content, { level: 1 }); // level 1: a quarter larger than the default at half its CPU
  const header = Buffer.from(gz.subarray(0, HEADER));
  header[3] = header[3]! | FNAME;
  return Buffer.concat([header, Buffer.from(`${name}\0`, 'utf8'), gz.subarray(HEADER)]);
}

/** The name in a gzip file's header, or undefined (no name, not gzip, unreadable). */
export async function gzipName(path: string): Promise<string | undefined> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const head = Buffer.alloc(HEADER + 512);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead < HEADER || head[0] !== 0x1f || head[1] !== 0x8b || (head[3]! & FNAME) === 0 || (head[3]! & 0x04) !== 0) return undefined;
    const end = head.indexOf(0, HEADER);
    return end < 0 || end >= bytesRead ? undefined : head.subarray(HEADER, end).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** The archive folder of a recording time: YY/MM/DD (UTC), as EdgeLake lays out !archive_dir. */
export function archiveFolder(archiveDir: string, at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return join(archiveDir, p(at.getUTCFullYear() % 100), p(at.getUTCMonth() + 1), p(at.getUTCDate()));
}

/** The name a JSON file is archived under: all eight segments when recorded in tsd_info, else its five. */
export function archiveName(file: FileName, tsdId: number | undefined, at: Date, options: { member: string; compressJson: boolean }): string {
  const base = tsdId !== undefined ? recordedName(file, options.member, tsdId, at) : `${[file.dbms, file.table, file.source, file.hash, file.instructions].join('.')}.json`;
  return options.compressJson ? `${base}.gz` : base;
}

/**
 * Writes `content` as `folder/name` (gzip naming the source with `compress`), under a temporary name first, with
 * the source's mtime: with the gzip name, they mark the archive as this file's (the known-hash case of json-file.ts).
 */
export async function writeArchive(folder: string, name: string, content: Buffer, source: { name: string; mtimeMs: number; compress: boolean }): Promise<string> {
  await mkdir(folder, { recursive: true });
  const target = join(folder, name);
  const tmp = `${target}.tmp-${process.pid}`;
  await writeFile(tmp, source.compress ? gzipNamed(content, source.name) : content);
  await utimes(tmp, new Date(), source.mtimeMs / 1000);
  await rename(tmp, target);
  return target;
}
