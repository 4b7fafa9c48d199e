// The machine measures the monitoring scripts read, measured now and printed as EdgeLake prints them.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EdgeNode } from '../node.js';
import { pyDatetime } from './machine-commands.js';

let home: string;
let node: EdgeNode;
before(async () => {
  home = await mkdtemp(join(tmpdir(), 'edgelake-machine-'));
  node = new EdgeNode({ home, ip: '127.0.0.1' });
  await node.start();
});
after(async () => {
  await node.stop();
  await rm(home, { recursive: true, force: true });
});

test('disk usage and free percentage of a path, as Python prints them; a missing path is named', async () => {
  const usage = (await node.execute(`get disk usage ${home}`)).text;
  const m = /^usage\(total=(\d+), used=(\d+), free=(\d+)\)\r\n$/.exec(usage);
  assert.ok(m, usage);
  const [total, used, free] = m!.slice(1).map(Number) as [number, number, number];
  assert.ok(total > 0 && used > 0 && free > 0 && used + free <= total);
  const percent = Number((await node.execute(`get disk percentage ${home}`)).text);
  assert.ok(Math.abs(percent - (100 * free) / total) < 1, `${percent}`);
  const missing = await node.execute(`get disk usage ${join(home, 'nope')}`);
  assert.equal(missing.code, 35);
  assert.match(missing.detail!, /nope': ENOENT/);
});

test('cpu usage per core and average, memory, platform, datetime and node info are measured values', async () => {
  const cpu = (await node.execute('get cpu usage')).text;
  assert.match(cpu, new RegExp(`${cpus().map((_, i) => `Core ${i + 1}`).join(' ')} Average`));
  assert.match(cpu, /\d+\.\d\|\r\n/);
  const memory = (await node.execute('get memory info')).text;
  assert.match(memory, /^\r\nTotal: {5}[\d,]+KB\r\nAvailable: [\d,]+KB\r\nUsed: {6}[\d,]+KB\r\nFree: {6}[\d,]+KB\r\n/);
  assert.match((await node.execute('get platform info')).text, /System: {4}\w+\r\nVersion: {3}.+\r\nNode: {6}.+\r\nMachine: {3}\w+/);
  assert.match((await node.execute('get datetime local now()')).text, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\r\n$/);
  assert.equal(pyDatetime(new Date('2026-12-06T06:27:02.185Z'), true), '2026-12-06 06:27:02.185000');
  const cpuPercent = Number((await node.execute('get node info cpu_percent')).text);
  assert.ok(cpuPercent >= 0 && cpuPercent <= 100);
  assert.match((await node.execute('get node info net_io_counters packets_recv')).text, /^\d+\r\n$/);
  assert.equal((await node.execute('get node info net_io_counters nothing')).code, 2);
});
