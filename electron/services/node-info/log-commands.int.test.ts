// The logs and script settings main.al sets on start, on a real node (no ports): event and error logs with EdgeLake's
// columns and repeat counting, the echo queue, file test, set anylog home.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EdgeNode } from '../node.js';

let home: string;
let node: EdgeNode;
before(async () => {
  home = await mkdtemp(join(tmpdir(), 'edgelake-logs-'));
  node = new EdgeNode({ home, ip: '127.0.0.1' });
  await node.start();
});
after(async () => {
  await node.stop();
  await rm(home, { recursive: true, force: true });
});

test('every command lands in the event log with (ok) or (Failed: reason); a repeat counts up; failures also in the error log', async () => {
  await node.execute('reset event log');
  await node.execute('get status');
  await node.execute('get status');
  await node.execute('nosuch thing');
  const events = node.log.list('event');
  assert.deepEqual(events.map((e) => [e.count, e.type, e.text]), [
    [1, 'Event', '(ok) reset event log'],
    [2, 'Event', '(ok) get status'],
    [1, 'Error', '(Failed: Unrecognized Command) nosuch thing'],
  ]);
  assert.match(events[0]!.time, /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}$/);
  const text = (await node.execute('get error log')).text;
  assert.match(text, /ID Count Thread +Time +Type +Text/);
  assert.match(text, /\|Error\|\(Failed: Unrecognized Command\) nosuch thing/);
  await node.execute('reset error log');
  assert.deepEqual(node.log.list('error'), []);
});

test('set echo queue on keeps echo messages for get echo queue instead of printing them', async () => {
  assert.match((await node.execute('echo straight out')).text, /straight out/);
  await node.execute('set echo queue on');
  assert.equal((await node.execute('echo hello there')).text, '');
  const queue = (await node.execute('get echo queue')).text;
  assert.match(queue, /Message Queue:\r\nCounter Time +Message/);
  assert.match(queue, /\r\n +1\|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\|hello there\|/);
  await node.execute('set echo queue off');
  assert.equal((await node.execute('set echo queue maybe')).code, 2);
});

test('file test says True or False; set anylog home moves the work directories and refuses a missing one', async () => {
  assert.equal((await node.execute('file test !watch_dir')).text, 'True\r\n');
  assert.equal((await node.execute(`file test ${join(home, 'nope')}`)).text, 'False\r\n');
  await node.execute(`x = file test ${join(home, 'nope')}`);
  assert.equal(node.dictionary.get('x'), 'False');
  const refused = await node.execute(`set anylog home ${join(home, 'missing')}`);
  assert.equal(refused.code, 63);
  assert.match(refused.detail!, /missing or unwritable directories/);
  assert.equal((await node.execute(`set anylog home ${home}/`)).code, 0);
  assert.equal(node.dictionary.get('watch_dir'), join(home, 'EdgeLake', 'data', 'watch'));
  assert.equal(node.dictionary.get('blockchain_file'), join(home, 'EdgeLake', 'blockchain', 'blockchain.json'));
  assert.equal(node.dictionary.get('edgelake_path'), home);
});

test('trace level prints each command with its outcome; set exception traceback takes on and off', async () => {
  const printed: string[] = [];
  const onOutput = (t: string) => printed.push(t);
  node.on('output', onOutput);
  await node.execute('trace level = 1');
  await node.execute('get node name');
  await node.execute('trace level = 0');
  await node.execute('get node name');
  node.off('output', onOutput);
  assert.deepEqual(printed.filter((p) => p.includes('get node name')).length, 1);
  assert.equal((await node.execute('trace level = 9')).code, 2);
  assert.equal((await node.execute('set exception traceback on')).code, 0);
  assert.equal(node.log.traceback, true);
  assert.equal((await node.execute('set exception traceback off')).code, 0);
});

test('get connections where format = json in EdgeLake 1.4.2604 keys: external, local, bind, objects even when not declared', async () => {
  const json = (await node.execute('get connections where format = json')).json as Record<string, Record<string, string>>;
  assert.deepEqual(json.REST, { external: 'Not declared', local: 'Not declared', bind: 'Not declared' });
  assert.deepEqual(Object.keys(json), ['TCP', 'REST', 'Messaging']);
});
