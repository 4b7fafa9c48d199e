// `delete archive where days = n` (EdgeLake; the deployment scripts schedule it daily): removes the archive's day
// folders (!archive_dir/YY/MM/DD) older than n days, then the month and year folders left empty. Only folders
// named as the operator names them are touched; anything else in the archive stays.
import { readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandSpec, DictionaryApi } from '../command/types.js';
import { CommandError, Status } from '../core/status.js';

const TWO_DIGITS = /^\d\d$/;

/** Day folders older than `days` days (by their YY/MM/DD names, UTC), removed; returns how many. */
export async function deleteArchive(archiveDir: string, days: number, now = new Date()): Promise<number> {
  const cutoff = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - days * 86_400_000;
  const list = async (dir: string) => (await readdir(dir, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory() && TWO_DIGITS.test(e.name)).map((e) => e.name);
  let removed = 0;
  for (const yy of await list(archiveDir)) {
    for (const mm of await list(join(archiveDir, yy))) {
      for (const dd of await list(join(archiveDir, yy, mm))) {
        const day = Date.UTC(2000 + Number(yy), Number(mm) - 1, Number(dd));
        if (day < cutoff) {
          await rm(join(archiveDir, yy, mm, dd), { recursive: true, force: true });
          removed++;
        }
      }
      await rmdir(join(archiveDir, yy, mm)).catch(() => undefined); // only when empty
    }
    await rmdir(join(archiveDir, yy)).catch(() => undefined);
  }
  return removed;
}

export function archiveCommands(dictionary: DictionaryApi): CommandSpec[] {
  return [
    {
      key: 'delete archive',
      usage: 'delete archive where days = [number of days]',
      help: 'Removes the archived files of the days older than the given number of days.',
      maxArgs: 0,
      where: { days: { type: 'int', required: true } },
      run: async (_c, inv) => {
        const days = inv.options.days as number;
        if (days < 0) throw new CommandError(Status.COMMAND_STRUCT, `delete archive: days = ${days} is negative`);
        const removed = await deleteArchive(dictionary.get('archive_dir') ?? '', days);
        return { code: 0, output: { kind: 'text', text: `${removed} archive day folder${removed === 1 ? '' : 's'} older than ${days} days removed` } };
      },
    },
  ];
}
