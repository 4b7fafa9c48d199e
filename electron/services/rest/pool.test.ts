import { tableText } from '../command/render.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliSections } from '../testing/transcripts.js';
import { WorkersPool } from './pool.js';

test('get rest pool prints the summary line as EdgeLake', async () => {
  const [expected] = cliSections('get-rest-pool.txt');
  const pool = new WorkersPool(3);
  for (let i = 0; i < 7; i++) pool.release((await pool.acquire())!);
  assert.equal(pool.summary() + '\r\n', expected!.output);
});

test('at most size requests run at once; the next waits for a free slot, in arrival order', async () => {
  const pool = new WorkersPool(2);
  const a = await pool.acquire();
  const b = await pool.acquire();
  assert.deepEqual([a, b], [0, 1]);
  assert.match(pool.summary(), /\[1, 1\] \(2\)$/);
  const order: string[] = [];
  const c = pool.acquire().then((slot) => (order.push('c'), slot));
  const d = pool.acquire().then((slot) => (order.push('d'), slot));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, [], 'both wait');
  pool.release(b!);
  assert.equal(await c, 1);
  pool.release(a!);
  assert.equal(await d, 0);
  assert.deepEqual(order, ['c', 'd']);
});

test('closing the pool wakes the waiters with no slot and refuses new work', async () => {
  const pool = new WorkersPool(1);
  await pool.acquire();
  const waiting = pool.acquire();
  pool.close();
  assert.equal(await waiting, undefined);
  assert.equal(await pool.acquire(), undefined);
});

test('details list each thread with its calls and percentages that add up to 100', async () => {
  const pool = new WorkersPool(3);
  const first = (await pool.acquire())!;
  pool.release(first);
  for (let i = 0; i < 2; i++) pool.release((await pool.acquire())!);
  const busy = await pool.acquire();
  const text = tableText(pool.details());
  assert.ok(text.startsWith('\r\nREST Pool:\r\nThread Status Calls Percentage \r\n------|------|-----|----------|'), JSON.stringify(text));
  assert.match(text, /\r\n {5}0\| {5}1\| {4}4\| {7}100\|/);
  assert.match(text, /\r\n {5}2\| {5}0\| {4}0\| {9}0\|\r\n$/);
  assert.equal(busy, 0);
  pool.resetCounters();
  assert.match(pool.summary(), /\(0\)$/);
});

test('large totals print with thousands separators', async () => {
  const pool = new WorkersPool(1);
  for (let i = 0; i < 1234; i++) pool.release((await pool.acquire())!);
  assert.match(pool.summary(), /\[0\] \(1,234\)$/);
});

test('a waiter whose client went away leaves the queue: the slot goes to the next one and none is held', async () => {
  const pool = new WorkersPool(1);
  const first = (await pool.acquire())!;
  const gaveUp = new AbortController();
  const leaving = pool.acquire(gaveUp.signal);
  const next = pool.acquire();
  assert.equal(pool.queued, 2);
  gaveUp.abort();
  assert.equal(await leaving, undefined);
  assert.equal(pool.queued, 1);
  pool.release(first);
  pool.release((await next)!);
  assert.match(pool.summary(), /\[0\] \(2\)$/, 'two calls served, nothing busy');
  assert.equal(await pool.acquire(AbortSignal.abort()), undefined, 'an already aborted signal takes no slot');
  assert.equal(pool.inUse, 0);
});
