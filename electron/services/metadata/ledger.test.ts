// The ledger file stays JSON whatever is put in: a value with no JSON text is refused before the file is touched.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ledger } from './ledger.js';
import { parsePyJson, PyFloat } from './policy-id.js';

test('a policy holding an infinite number is not written; the file keeps parsing line by line', async () => {
  const home = await mkdtemp(join(tmpdir(), 'edgelake-ledger-'));
  const file = join(home, 'blockchain.json');
  try {
    await writeFile(file, '{"sensor": {"name": "a", "id": "1"}}\n');
    const ledger = new Ledger(() => file);
    await assert.rejects(ledger.append({ sensor: { name: 'b', v: new PyFloat(Infinity), id: '2' } }), /policy 2 would not be JSON in the ledger file/);
    await ledger.append({ sensor: { name: 'c', v: new PyFloat(1e300), id: '3' } });
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    assert.deepEqual(lines, ['{"sensor": {"name": "a", "id": "1"}}', '{"sensor": {"name": "c", "v": 1e+300, "id": "3"}}']);
    for (const line of lines) JSON.parse(line);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

test("Python's json.dumps text of an infinite float is Infinity, never inf; reading 1e400 is refused", () => {
  assert.equal(new PyFloat(Infinity).pyJson, 'Infinity');
  assert.equal(new PyFloat(-Infinity).pyJson, '-Infinity');
  assert.equal(new PyFloat(100).pyJson, '100.0');
  assert.throws(() => parsePyJson('{"master": {"port": 1e400}}'), /1e400 is beyond the range of a float/);
});
