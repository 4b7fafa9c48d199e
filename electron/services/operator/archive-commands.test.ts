// delete archive where days = n: old day folders go, recent ones and foreign entries stay, empty months and years go.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { deleteArchive } from './archive-commands.js';

test('day folders older than n days are removed with their files; newer ones, other entries and non-empty parents stay', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'edgelake-archive-'));
  try {
    for (const day of ['26/10/01', '26/11/30', '26/12/01', '26/12/06']) {
      await mkdir(join(dir, day), { recursive: true });
      await writeFile(join(dir, day, 'test.t.0.abc.json.gz'), 'x');
    }
    await mkdir(join(dir, 'notes'));
    const removed = await deleteArchive(dir, 5, new Date('2026-12-06T12:00:00Z'));
    assert.equal(removed, 2);
    assert.deepEqual((await readdir(dir)).sort(), ['26', 'notes']);
    assert.deepEqual((await readdir(join(dir, '26'))).sort(), ['12'], 'October and November are gone, emptied');
    assert.deepEqual((await readdir(join(dir, '26', '12'))).sort(), ['01', '06']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
