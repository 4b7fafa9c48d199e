import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WriteTurns } from './turns.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

test('one writer at a time per database, in request order; other databases are not held up', async () => {
  const turns = new WriteTurns();
  const log: string[] = [];
  const job = (dbms: string, name: string) =>
    turns.run(dbms, async () => {
      log.push(`${name} in`);
      await tick();
      log.push(`${name} out`);
    });
  await Promise.all([job('test', 'a'), job('test', 'b'), job('almgm', 'c')]);
  const at = (entry: string) => log.indexOf(entry);
  assert.ok(at('a out') < at('b in'), `b waits for a on the same database: ${log.join(', ')}`);
  assert.ok(at('c in') < at('a out'), `c runs beside a on another database: ${log.join(', ')}`);
});

test('a turn whose work fails is ended, and ending twice does nothing', async () => {
  const turns = new WriteTurns();
  await assert.rejects(turns.run('x', async () => Promise.reject(new Error('boom'))), /boom/);
  const end = await turns.take('x');
  end();
  end();
  let ran = false;
  await turns.run('x', async () => {
    ran = true;
  });
  assert.ok(ran);
});
