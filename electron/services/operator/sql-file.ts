// An SQL file: its INSERT statements run in one transaction (all or none). Only inserts into the file's table and
// its partitions are accepted: a file is data, never a way to drop or alter tables (EdgeLake runs whatever the file
// holds). Like EdgeLake, SQL files are not tracked in tsd_info; they are statements, not rows, so they do not pass
// through the ingest core. With archive_sql a copy is kept in !bkup_dir (gzip with compress_sql).
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CommandError, Status } from '../core/status.js';
import { partitionsOf } from '../dbms/partitions.js';
import { readContent } from './file-content.js';
import { fileHash, type FileName } from './file-name.js';
import { RetryLater, SETTLE_RETRY_MS, type FileStepContext, type IngestOutcome, type Taken } from './ingest-types.js';
import { changedSince } from './watch-entry.js';

/** The statements of an SQL file, split at `;` outside quotes; `--` comments dropped. */
export function splitSqlStatements(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      current += ch;
      if (ch === quote) quote = undefined; // '' inside a literal closes and reopens: same result
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      current += ch;
    } else if (ch === '-' && text[i + 1] === '-') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === ';') {
      if (current.trim()) out.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

export async function ingestSqlFile(ctx: FileStepContext, path: string, name: string, file: FileName, taken: Taken): Promise<IngestOutcome> {
  const { raw, content } = await readContent(taken.readPath, name, file.compressed, ctx.maxFileSize);
  if (await changedSince(taken.readPath, taken)) throw new RetryLater(`${name}: changed while it was read (still being written)`, SETTLE_RETRY_MS, true);
  const statements = splitSqlStatements(content.toString('utf8'));
  if (statements.length === 0) throw new CommandError(Status.SQL_FAILURE, `${name}: the file holds no SQL statement; an SQL file holds INSERT statements into its table, each ending with ';'`);
  statements.forEach((sql, i) => {
    const target = /^insert\s+into\s+(?:"([^"]+)"|([a-z0-9_]+))/i.exec(sql);
    const table = (target?.[1] ?? target?.[2] ?? '').toLowerCase();
    if (!target || (table !== file.table && !partitionsOf([table], file.table).length)) {
      throw new CommandError(Status.SQL_FAILURE, `${name}: statement ${i + 1} is not an INSERT into ${file.table} or its partitions: ${sql.slice(0, 80)}`);
    }
  });
  const db = ctx.deps.database(file.dbms);
  if ((await db.columns(file.table)).length === 0) throw new CommandError(Status.TABLE_NAME, `${name}: table '${file.table}' does not exist in dbms '${file.dbms}'`);
  const rows = await ctx.exclusive(file.dbms, () =>
    db.transaction(async (tx) => {
      let n = 0;
      for (const [i, sql] of statements.entries()) {
        try {
          n += await tx.run(sql);
        } catch (err) {
          throw new CommandError(Status.SQL_FAILURE, `${name}: statement ${i + 1}: ${(err as Error).message}`);
        }
      }
      return n;
    }),
  );
  let archivedAs: string | undefined;
  if (ctx.options.archiveSql && ctx.dirs.bkupDir) {
    await mkdir(ctx.dirs.bkupDir, { recursive: true });
    const gzip = ctx.options.compressSql !== false && !file.compressed;
    archivedAs = join(ctx.dirs.bkupDir, gzip ? `${name}.gz` : name);
    await writeFile(`${archivedAs}.tmp-${process.pid}`, gzip ? gzipSync(raw, { level: 1 }) : raw);
    await rename(`${archivedAs}.tmp-${process.pid}`, archivedAs);
  }
  await rm(path, { force: true });
  return { status: 'ingested', kind: 'sql', dbms: file.dbms, table: file.table, rows, hash: fileHash(file.dbms, file.table, content), archivedAs, resumed: false };
}
