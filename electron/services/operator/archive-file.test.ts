import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { gzipName, gzipNamed } from './archive-file.js';

test('an archive is ordinary gzip that names the file it came from; plain gzip names none', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'edgelake-archive-file-'));
  try {
    const content = Buffer.from('{"a": 1}\n{"a": 2}\n');
    await writeFile(join(dir, 'named.gz'), gzipNamed(content, 'test.readings.dev7.json'));
    assert.deepEqual(gunzipSync(await readFile(join(dir, 'named.gz'))), content);
    assert.equal(await gzipName(join(dir, 'named.gz')), 'test.readings.dev7.json');
    await writeFile(join(dir, 'plain.gz'), gzipSync(content));
    assert.equal(await gzipName(join(dir, 'plain.gz')), undefined);
    assert.equal(await gzipName(join(dir, 'missing.gz')), undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
