// set buffer threshold and run streamer as a deployment script uses them (EdgeLake's Streamer line, observed).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EdgeNode } from '../node.js';

test('thresholds default and per table; run streamer shows them in get processes as EdgeLake does; run blobs archiver says it is not available', async () => {
  const home = await mkdtemp(join(tmpdir(), 'edgelake-streaming-'));
  const node = new EdgeNode({ home, ip: '127.0.0.1' });
  await node.start();
  try {
    assert.deepEqual(node.services.find((s) => s.name === 'streaming') !== undefined, true);
    assert.equal((await node.execute('set buffer threshold where time=5 seconds and volume=10KB and write_immediate=false')).code, 0);
    assert.equal((await node.execute('set buffer threshold where dbms = test and table = t1 and time = 1 minute')).code, 0);
    assert.equal((await node.execute('set buffer threshold where dbms = test')).code, 2);
    assert.equal((await node.execute('run streamer')).code, 0);
    assert.equal((await node.execute('run streamer')).code, 136);
    assert.match((await node.execute('get processes')).text, /Streamer +\|Running +\|Default streaming thresholds are 5 seconds and 10,240 bytes/);
    const table = (await node.execute('get buffer thresholds')).text;
    assert.match(table, /\*\s*\|\s*5\|\s*10240\|False/);
    assert.match(table, /test\.t1\s*\|\s*60\|\s*10240\|False/);
    const blobs = await node.execute('run blobs archiver where dbms=false and folder=true');
    assert.equal(blobs.code, 3);
    assert.match(blobs.detail!, /not available in this node/);
  } finally {
    await node.stop();
    await rm(home, { recursive: true, force: true });
  }
});
