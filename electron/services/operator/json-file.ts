// A JSON file on top of the ingest core: read (decompressed), parsed into rows, checked against what tsd_info knows
// of its hash, written by the core, archived, removed. What the database says decides after a crash:
//   - its hash recorded AND archived: a duplicate (86) — unless it is the very file that was archived (a kill between
//     archiving and removal: the archive carries its name and mtime), which is completed by removing it;
//   - its hash recorded, not archived: the core resumes that tsd_info row (rows stored under it are kept);
// then the archive is written (temporary name, renamed) and the source removed. Once the rows are committed the file
// never goes to the error directory: it stays and the next attempt finishes the work.
import { lstat, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CommandError, Status } from '../core/status.js';
import { archiveFolder, archiveName, gzipName, writeArchive } from './archive-file.js';
import { readContent } from './file-content.js';
import { fileHash, type FileName } from './file-name.js';
import { RowsCommitted, type TsdRecord, type WriteResult } from './ingest-core.js';
import { RetryLater, SETTLE_RETRY_MS, type FileStepContext, type IngestOutcome, type Taken } from './ingest-types.js';
import { parseJsonRows, type JsonRow } from './json-rows.js';
import { changedSince } from './watch-entry.js';

export async function ingestJsonFile(ctx: FileStepContext, path: string, name: string, file: FileName, taken: Taken): Promise<IngestOutcome> {
  const { content } = await readContent(taken.readPath, name, file.compressed, ctx.maxFileSize);
  // A writer that went on after the file was found complete: what was read may be a prefix of its rows.
  if (await changedSince(taken.readPath, taken)) throw new RetryLater(`${name}: changed while it was read (still being written)`, SETTLE_RETRY_MS, true);
  ctx.deps.database(file.dbms); // not connected: refused before the file is parsed
  const hash = file.hash !== '0' ? file.hash : fileHash(file.dbms, file.table, content);
  let rows: JsonRow[];
  try {
    rows = parseJsonRows(content.toString('utf8'));
  } catch (err) {
    if (!(err instanceof CommandError) || err.code !== Status.ANALYZE_JSON) throw err;
    throw new CommandError(Status.ANALYZE_JSON, `${name}${file.compressed ? ' (decompressed)' : ''}: ${err.detail ?? err.message}; the operator takes one JSON object per line, or one JSON object or array — fix the file and drop it again`);
  }
  const at = ctx.now();
  // Two files with the same bytes never run at once: the second would take the first's reserved tsd_info row
  // for a crash to resume from and insert its rows a second time.
  if (ctx.deps.claim && !(await ctx.deps.claim(hash))) throw new RetryLater(`${name}: a file with the same content (hash ${hash}) is being ingested`, SETTLE_RETRY_MS, true);
  try {
    return await writeJsonFile(ctx, path, name, { ...file, hash }, content, rows, at, taken.mtimeMs);
  } finally {
    ctx.deps.release?.(hash);
  }
}

/** Where the file recorded under this hash was archived: named after the recorded row, not after this file's name. */
function recordedArchive(ctx: FileStepContext, file: FileName, known: TsdRecord): { path: string; file: FileName } {
  const recorded = { ...file, source: known.source, instructions: known.instructions };
  return { path: join(archiveFolder(ctx.dirs.archiveDir, known.recordedAt), archiveName(recorded, known.id, known.recordedAt, ctx.options)), file: recorded };
}

async function writeJsonFile(ctx: FileStepContext, path: string, name: string, file: FileName, content: Buffer, rows: JsonRow[], at: Date, mtimeMs: number): Promise<IngestOutcome> {
  const known = await ctx.core.recorded(file.hash);
  if (known) {
    const archived = recordedArchive(ctx, file, known);
    const archivedMtime = await mtimeOf(archived.path);
    if (archivedMtime !== undefined) {
      // The archive keeps its source's name and mtime (archive-file.ts): the same name and mtime is the file that
      // was archived when a kill came before its removal, so it is finished, not reported as a duplicate of itself.
      // (An uncompressed archive carries no name: the recorded source and instructions stand in.)
      const sameName = archived.path.endsWith('.gz') ? (await gzipName(archived.path)) === name : archived.file.source === file.source && archived.file.instructions === file.instructions;
      if (sameName && Math.abs(archivedMtime - mtimeMs) < 1) {
        await rm(path, { force: true });
        return { status: 'ingested', kind: 'json', dbms: file.dbms, table: file.table, rows: known.rows, hash: file.hash, archivedAs: archived.path, resumed: true };
      }
      throw new CommandError(Status.DUPLICATE_JSON_FILE, `${name}: duplicate of a file already ingested (hash ${file.hash}, tsd_info id ${known.id}, archived as ${basename(archived.path)}); its rows are stored once — nothing to do, or change the content to send new rows`);
    }
  }
  let written: WriteResult;
  try {
    written = await ctx.core.writeRows({ dbms: file.dbms, table: file.table, rows, origin: 'file', source: file.source, hash: file.hash, instructions: file.instructions, label: name, at, resume: known && { id: known.id, recordedAt: known.recordedAt } });
  } catch (err) {
    if (err instanceof RowsCommitted) throw new RetryLater(`${name}: rows committed, finishing failed: ${err.message}`);
    throw err;
  }
  try {
    const archivedAs = await archive(ctx, content, file, written.tsdId, written.recordedAt, { name, mtimeMs });
    await rm(path, { force: true });
    return { status: 'ingested', kind: 'json', dbms: file.dbms, table: file.table, rows: written.rows, hash: file.hash, archivedAs, resumed: written.resumed, partitions: written.partitions, createdTable: written.createdTable };
  } catch (err) {
    // The rows are committed: the file must not go to the error directory (its data is in the table).
    throw new RetryLater(`${name}: rows committed, finishing failed: ${(err as Error).message}`);
  }
}

/** The modification time of `path`, or undefined when there is none. */
export async function mtimeOf(path: string): Promise<number | undefined> {
  return lstat(path).then(
    (s) => s.mtimeMs,
    () => undefined,
  );
}

async function archive(ctx: FileStepContext, content: Buffer, file: FileName, tsdId: number | undefined, at: Date, source: { name: string; mtimeMs: number }): Promise<string | undefined> {
  // With the distributor, a file from a device (no member in its name) goes to !distr_dir for the cluster's
  // other members; files that came from a member are archived (EdgeLake's rule).
  const toDistributor = ctx.options.distributor === true && file.member === undefined && ctx.dirs.distrDir !== undefined;
  if (!ctx.options.archiveJson && !toDistributor) return undefined;
  const folder = toDistributor ? ctx.dirs.distrDir! : archiveFolder(ctx.dirs.archiveDir, at);
  return writeArchive(folder, archiveName(file, tsdId, at, ctx.options), content, { ...source, compress: ctx.options.compressJson });
}
