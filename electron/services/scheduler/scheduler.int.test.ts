// The scheduler on a real node: tasks as the deployment scripts write them, their runs, results and counters.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EdgeNode } from '../node.js';

let home: string;
let node: EdgeNode;

async function waitFor(what: string, probe: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 10_000;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'edgelake-scheduler-'));
  node = new EdgeNode({ home, ip: '127.0.0.1', schedulerTickMs: 50 });
  await node.start();
});
after(async () => {
  await node.stop();
  await rm(home, { recursive: true, force: true });
});

test('tasks written as the deployment scripts write them are listed Paused, then run and repeat', async () => {
  assert.equal((await node.execute('run scheduler 1')).code, 0);
  assert.equal((await node.execute('run scheduler 1')).code, 136);
  assert.equal((await node.execute('schedule time=1 day and name="Drop Partitions" task drop partition where dbms=test and table=readings and keep=3')).code, 0);
  assert.equal((await node.execute('schedule name=counter and time=1 seconds and task n = incr !n')).code, 0);
  assert.equal((await node.execute('schedule name=counter and time=1 seconds task print again')).code, 2, 'duplicate names are refused');
  node.dictionary.set('n', '0');
  await waitFor('the counter task to run twice', async () => Number(node.dictionary.get('n')) >= 2);
  const text = (await node.execute('get scheduler 1')).text;
  assert.match(text, /^\r\nScheduler ID: {5}1\r\nScheduler Status: Running\r\nScheduled Tasks\r\nID Mode {3}Name {12}Counter Run Status/);
  assert.match(text, /\r\n 1\|Active\|Drop Partitions\| +1\|Drop partition failed *\|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\|24:0:0 +\|drop partition where dbms = test and table = readings and keep = 3\|/);
  assert.match(text, /\r\n 2\|Active\|counter +\| +[2-9]\|Success +\|[^|]+\|0:0:1 +\|n = incr !n +\|/);
  const processes = node.processes.list().find((p) => p.name === 'Scheduler')!;
  assert.deepEqual([processes.status, processes.details], ['Running', 'Schedulers IDs in use: [0 (system)] [1 (user)]']);
});

test('task stop pauses a task, task run resumes it, task remove drops it', async () => {
  assert.equal((await node.execute('task stop where scheduler = 1 and name = counter')).code, 0);
  await new Promise((r) => setTimeout(r, 150)); // a run in flight finishes
  const n = Number(node.dictionary.get('n'));
  await new Promise((r) => setTimeout(r, 1200));
  assert.equal(Number(node.dictionary.get('n')), n, 'a paused task does not run');
  assert.match((await node.execute('get scheduler 1')).text, /\|Paused\|counter/);
  assert.equal((await node.execute('task run where name = counter')).code, 0);
  await waitFor('the resumed task to run', async () => Number(node.dictionary.get('n')) > n);
  assert.equal((await node.execute('task remove where name = "Drop Partitions"')).code, 0);
  assert.doesNotMatch((await node.execute('get scheduler 1')).text, /Drop Partitions/);
  assert.equal((await node.execute('task remove where name = nothing')).code, 3);
});

test('exit scheduler stops its tasks', async () => {
  assert.equal((await node.execute('exit scheduler 1')).code, 0);
  const n = Number(node.dictionary.get('n'));
  await new Promise((r) => setTimeout(r, 1300));
  assert.equal(Number(node.dictionary.get('n')), n, 'no run after exit');
  // The system scheduler 0 keeps running, as on a bare EdgeLake node (Schedulers IDs in use: [0 (system)]).
  const line = node.processes.list().find((p) => p.name === 'Scheduler')!;
  assert.equal(line.status, 'Running');
  assert.equal(line.details, 'Schedulers IDs in use: [0 (system)]');
});

test('a task scheduled before its scheduler runs waits for it, then runs (as EdgeLake; the deployment scripts do this)', async () => {
  const scheduled = await node.execute('schedule time = 1 second and name = "early bird" and scheduler = 7 task x_early = 1');
  assert.equal(scheduled.code, 0, scheduled.text);
  assert.equal(node.dictionary.get('x_early'), undefined, 'nothing runs before the scheduler');
  assert.equal((await node.execute('run scheduler 7')).code, 0);
  const end = Date.now() + 5000;
  while (node.dictionary.get('x_early') === undefined && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
  assert.equal(node.dictionary.get('x_early'), '1');
  assert.match((await node.execute('get scheduler 7')).text, /early bird/);
  await node.execute('exit scheduler 7');
});
