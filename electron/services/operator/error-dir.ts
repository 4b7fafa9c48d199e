// !err_dir: a failed file is moved there with its reason beside it (`<name>.err.json`, read by `get tsd errors`
// and the console's Ingestion Errors panel). Crash-safe order: the reason is written under a temporary name, the
// file is moved, then the reason is renamed into place — a kill leaves either the file in the watch directory
// (tried again) or the file and a temporary reason that the next start completes (completeReasons).
import { lstat, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { statusText } from '../core/status.js';
import { fitName, TMP_SUFFIX_BYTES } from './file-name.js';

const REASON = '.err.json';
const TMP = new RegExp(`^(.*)\\${REASON}\\.tmp-\\d+$`);
/** The reason file's suffix, its temporary suffix and a `.<ms time>` that keeps two failures of one name apart. */
const RESERVED = REASON.length + TMP_SUFFIX_BYTES + 14;

async function present(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/**
 * The reason as it is stored: it names the file (a reason that does not is prefixed with the name), and control
 * characters from a binary file's quoted line are replaced so the reason prints as one line.
 */
export function storedReason(name: string, reason: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = reason.replace(/[\u0000-\u001f\u007f]/g, '\uFFFD');
  return clean.includes(name) ? clean : `${name}: ${clean}`;
}

/** Moves the entry at `path` (a file, link or directory named `name`) to `errDir`; returns where it went. */
export async function moveToErrorDir(errDir: string, path: string, name: string, code: number, reason: string): Promise<string> {
  await mkdir(errDir, { recursive: true });
  let file = fitName(name, RESERVED);
  if (await present(join(errDir, file))) file = `${file}.${Date.now()}`;
  const target = join(errDir, file);
  const detail = { file, source: name, code, error: statusText(code), reason: storedReason(name, reason), time: new Date().toISOString() };
  const pending = `${target}${REASON}.tmp-${process.pid}`;
  await writeFile(pending, JSON.stringify(detail, null, 2));
  try {
    await rename(path, target);
  } catch (err) {
    await rm(pending, { force: true });
    throw err;
  }
  await rename(pending, `${target}${REASON}`);
  return target;
}

/**
 * At start: a temporary reason whose file reached the error directory is put in place (a kill came between the two
 * renames); one whose file did not is removed (its file is still in the watch directory and is tried again).
 */
export async function completeReasons(errDir: string): Promise<void> {
  for (const name of await readdir(errDir).catch(() => [] as string[])) {
    const m = TMP.exec(name);
    if (!m) continue;
    const path = join(errDir, name);
    if (await present(join(errDir, m[1]!))) await rename(path, join(errDir, `${m[1]!}${REASON}`));
    else await rm(path, { force: true });
  }
}
