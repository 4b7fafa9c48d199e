// What a killed operator leaves behind, cleaned when the operator starts: temporary archive and backup copies
// (`<name>.json.gz.tmp-<pid>`: the archive is written under that name and renamed, so a kill mid-write leaves one;
// the source is still in the watch directory and is archived again) and the error directory's temporary reasons.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { completeReasons } from './error-dir.js';

const TEMPORARY = /\.tmp-\d+$/;

/** Removes the operator's temporary files under `dir` (the archive's YY/MM/DD folders included); returns how many. */
async function removeTemporaries(dir: string): Promise<number> {
  let removed = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) removed += await removeTemporaries(path);
    else if (TEMPORARY.test(entry.name)) {
      await rm(path, { force: true });
      removed++;
    }
  }
  return removed;
}

export async function cleanLeftovers(dirs: { archiveDir: string; errDir: string; bkupDir?: string | undefined; distrDir?: string | undefined }): Promise<number> {
  let removed = 0;
  for (const dir of [dirs.archiveDir, dirs.bkupDir, dirs.distrDir]) if (dir) removed += await removeTemporaries(dir);
  await completeReasons(dirs.errDir);
  return removed;
}
