// Reading a watch-directory file's bytes within the operator's limit: the file is at most max_file_size (checked
// before it is read, watch-entry.ts), and a `.gz` is decompressed by zlib with maxOutputLength = max_file_size (one
// whose trailer announces more is only counted while it inflates), so a gzip bomb never fills memory. Failures name the file, the format and what to do.
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { createGunzip, gunzip } from 'node:zlib';
import { CommandError, Status } from '../core/status.js';
import { megabytes } from './watch-entry.js';

/** EdgeLake's "Compression Failed". */

const gunzipAsync = promisify(gunzip);

function tooLarge(name: string, limit: number): CommandError {
  return new CommandError(Status.DATA_SIZE_LARGER_THAN_BUFFER, `${name}: decompresses to more than max_file_size = ${megabytes(limit)} (a gzip bomb, or a file too large for one ingestion); split the data into smaller files, or raise the limit (run operator where ... and max_file_size = <n>MB)`);
}

function notGzip(name: string, err: Error): CommandError {
  const what = /unexpected end/i.test(err.message) ? 'is truncated gzip data' : 'is not valid gzip data';
  return new CommandError(Status.COMPRESSION_FAILED, `${name}: ${what} (zlib: ${err.message}); a .gz file must be compressed with gzip whole — compress it again, or drop it uncompressed without the .gz`);
}

/** Inflates and counts without keeping a byte: over the limit, or the zlib error, or undefined when it fits. */
function countInflated(raw: Buffer, limit: number): Promise<'over' | Error | undefined> {
  return new Promise((resolve) => {
    const inflate = createGunzip();
    let size = 0;
    inflate.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        inflate.destroy();
        resolve('over');
      }
    });
    inflate.on('error', (err) => resolve(err));
    inflate.on('end', () => resolve(undefined));
    inflate.end(raw);
  });
}

/**
 * A file whose trailer announces more than the limit is inflated only to count, up to this much: valid gzip that far
 * and announcing more is a bomb (inflating it to the limit would leave that much garbage for the allocator to keep).
 */
const PROBE_BYTES = 4 * 1024 * 1024;

export async function decompress(raw: Buffer, name: string, limit: number): Promise<Buffer> {
  // The trailer's ISIZE (RFC 1952 §2.3.1: the last member's size mod 2^32) says a bomb is one; the probe tells a
  // truncated or corrupt file, whose last four bytes are not a size, from a bomb.
  const announced = raw.length >= 18 && raw[0] === 0x1f && raw[1] === 0x8b ? raw.readUInt32LE(raw.length - 4) : 0;
  if (announced > limit) {
    const counted = await countInflated(raw, Math.min(limit, PROBE_BYTES));
    if (counted instanceof Error) throw notGzip(name, counted);
    if (counted === 'over') throw tooLarge(name, limit);
  }
  try {
    // A file whose trailer lies is still stopped at the limit.
    return await gunzipAsync(raw, { maxOutputLength: limit });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) throw tooLarge(name, limit);
    throw notGzip(name, e);
  }
}

/** The file's bytes, decompressed when its name ends in `.gz`. */
export async function readContent(readPath: string, name: string, compressed: boolean, limit: number): Promise<{ raw: Buffer; content: Buffer }> {
  const raw = await readFile(readPath);
  if (raw.length > limit) {
    // Grew past the limit after it was inspected.
    throw new CommandError(Status.DATA_SIZE_LARGER_THAN_BUFFER, `${name}: ${megabytes(raw.length)}, over the operator's limit max_file_size = ${megabytes(limit)}; split the file, or raise the limit`);
  }
  return { raw, content: compressed ? await decompress(raw, name, limit) : raw };
}
