// What an entry of !watch_dir is, before the operator reads a byte of it: a regular file that is complete (ready),
// one still being written (wait), something the operator refuses with a reason (a directory, a link that leaves
// the watch directory, a file over max_file_size), or nothing any more (gone). Names the operator never takes are
// decided here too (ignoredName), so the watcher and the periodic rescan apply one rule.
import { lstat, readlink, realpath, stat } from 'node:fs/promises';
import { dirname, sep } from 'node:path';
import { Status } from '../core/status.js';

// Codes: Status.WRONG_FILE_TYPE for what the operator does not take as data (a directory, a link, a FIFO);
// Status.DATA_SIZE_LARGER_THAN_BUFFER (EdgeLake's "Data size is larger than buffer") for a file, or its
// decompressed content, over max_file_size.

/**
 * A file written in place is taken once its size and modification time have not changed for this long (or at
 * once when it was renamed into the directory, see `renamedIn`). A writer that pauses longer between two writes
 * than this has its file cut; writers should write elsewhere (or under a dot name) and rename.
 */
export const SETTLE_MS = 1000;

/**
 * The largest file (and largest decompressed `.gz` content) the operator reads by default (`run operator where
 * max_file_size = ...`). A file is parsed whole: its rows take several times its size in memory, per thread.
 */
export const MAX_FILE_SIZE = 64 * 1024 * 1024;

/**
 * Names the operator never takes and never moves (README, "The watch directory"): dot files (a writer's temporary
 * name, e.g. rsync's), `*.tmp` / `*.tmp-<n>`, editor backups and swap files (`~`, `.swp`, `.swx`, as chokidar
 * skips them) and the reason files of the error directory.
 */
const IGNORED = /^\.|\.tmp(-\d+)?$|~$|\.sw[px]$|\.err\.json$/;

export function ignoredName(name: string): boolean {
  return IGNORED.test(name);
}

/** A directory is only the operator's business when it is named like a data file (a mistake to report). */
export function dataLikeName(name: string): boolean {
  return /\.(json|sql|gz)$/i.test(name);
}

export type Entry =
  /** Not there any more, or not the operator's (a directory not named like a data file). */
  | { status: 'gone' }
  | { status: 'wait'; delayMs: number; reason: string }
  | { status: 'refuse'; code: number; reason: string }
  | {
      status: 'ready';
      /** The path to read: the entry itself, or the file its link points to (inside the watch directory). */
      readPath: string;
      size: number;
      mtimeMs: number;
    };

export interface EntryRules {
  settleMs: number;
  maxFileSize: number;
  /** The watch directory (default: the entry's folder). A link may point anywhere inside it, never outside. */
  watchDir?: string | undefined;
}

function inside(dir: string, path: string): boolean {
  return path.startsWith(dir.endsWith(sep) ? dir : `${dir}${sep}`);
}

/**
 * A write sets mtime and ctime to the same instant; a rename (or utimes) after the last write moves ctime past
 * mtime. So ctime > mtime says the content was finished before the file arrived here (the writer's rename).
 */
function renamedIn(s: { mtimeMs: number; ctimeMs: number }): boolean {
  return s.ctimeMs > s.mtimeMs;
}

export function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${+(bytes / (1024 * 1024)).toFixed(1)} MB` : `${bytes} bytes`;
}

export async function inspectEntry(path: string, name: string, rules: EntryRules, now = Date.now()): Promise<Entry> {
  const own = await lstat(path).catch(() => undefined);
  if (!own) return { status: 'gone' };
  let readPath = path;
  let target = own;
  if (own.isSymbolicLink()) {
    const to = await readlink(path).catch(() => '?');
    const resolved = await realpath(path).catch(() => undefined);
    if (!resolved) return { status: 'refuse', code: Status.WRONG_FILE_TYPE, reason: `${name}: a symbolic link to '${to}', which does not exist (a dangling link); remove it, or put the file itself in the watch directory` };
    const watchDir = await realpath(rules.watchDir ?? dirname(path)).catch(() => rules.watchDir ?? dirname(path));
    if (!inside(watchDir, resolved)) {
      return { status: 'refuse', code: Status.WRONG_FILE_TYPE, reason: `${name}: a symbolic link to '${to}', outside the watch directory; the operator does not follow links out of !watch_dir: copy or move the file itself into it` };
    }
    const t = await stat(resolved).catch(() => undefined);
    if (!t) return { status: 'gone' };
    readPath = resolved;
    target = t;
  }
  // Directories not named like data are not the operator's (it does not recurse): ignored, as documented.
  if (target.isDirectory() && !dataLikeName(name)) return { status: 'gone' };
  const what = own.isSymbolicLink() ? 'a symbolic link to a directory' : 'a directory';
  if (target.isDirectory()) return { status: 'refuse', code: Status.WRONG_FILE_TYPE, reason: `${name}: ${what}; the operator ingests files only and does not look inside directories: move the files it holds into the watch directory` };
  if (!target.isFile()) return { status: 'refuse', code: Status.WRONG_FILE_TYPE, reason: `${name}: not a regular file (a FIFO, socket or device); the operator reads regular files only` };
  if (target.size > rules.maxFileSize) {
    return { status: 'refuse', code: Status.DATA_SIZE_LARGER_THAN_BUFFER, reason: `${name}: ${megabytes(target.size)}, over the operator's limit max_file_size = ${megabytes(rules.maxFileSize)}; split the file, or raise the limit (run operator where ... and max_file_size = <n>MB)` };
  }
  const quiet = now - target.mtimeMs;
  if (!renamedIn(target) && rules.settleMs > 0 && quiet < rules.settleMs) {
    return { status: 'wait', delayMs: Math.max(20, Math.ceil(rules.settleMs - quiet)), reason: `${name}: still being written (changed ${Math.max(0, Math.round(quiet))} ms ago)` };
  }
  return { status: 'ready', readPath, size: target.size, mtimeMs: target.mtimeMs };
}

/** Whether the file changed since it was inspected (a writer still at work): read again later. */
export async function changedSince(readPath: string, seen: { size: number; mtimeMs: number }): Promise<boolean> {
  const s = await stat(readPath).catch(() => undefined);
  return !s || s.size !== seen.size || s.mtimeMs !== seen.mtimeMs;
}
