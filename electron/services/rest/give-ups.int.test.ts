// Clients that give up or stall (issue 10, defect 1) against a real node's REST server on 127.0.0.1: a request
// whose client goes away while it waits for a worker, or while its body is read, must not keep a worker, and
// stalled bodies must not hold workers at all.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EdgeNode } from '../node.js';
import { commandRequest, openHeld, rawRequest, waitFor } from '../testing/http.js';

let home: string;
let node: EdgeNode;
let port: number;

const pool = async () => (await node.execute('get rest pool')).text;
const idle = async () => /\[0, 0, 0, 0, 0\]/.test(await pool());
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A POST announcing a 10-byte body that does not come (yet). */
const stalledPost = 'POST / HTTP/1.1\r\nHost: x\r\ncommand: rest_gu = 1\r\nUser-Agent: AnyLog/1.23\r\nContent-Length: 10\r\n\r\n';

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'edgelake-rest-giveups-'));
  node = new EdgeNode({ home, ip: '127.0.0.1' });
  await node.start();
  const started = await node.execute('run rest server where external_ip = 127.0.0.1 and external_port = 0 and internal_ip = 127.0.0.1 and bind = true and read_timeout = 3');
  assert.equal(started.code, 0, started.text);
  port = Number(node.rest.addresses()!.internal.split(':')[1]);
});
after(async () => {
  await node.stop();
  await rm(home, { recursive: true, force: true });
});

/** `get status` requests that wait a little, then close their connection without reading an answer. */
async function giveUps(n: number): Promise<void> {
  const sockets = await Promise.all(Array.from({ length: n }, () => openHeld(port, commandRequest('get status'))));
  await pause(100);
  for (const s of sockets) s.destroy();
  await pause(100); // the server has seen the closes
}

test('clients that give up while bodies are read leave no worker busy; the pool returns to idle and REST answers', async () => {
  // The reproduction: five bodies announced and not sent, three give-ups, the bodies completed, two more give-ups.
  const stalled: Socket[] = await Promise.all(Array.from({ length: 5 }, () => openHeld(port, stalledPost)));
  await pause(100);
  await giveUps(3);
  const answers = stalled.map(
    (s) =>
      new Promise<string>((resolve) => {
        let data = '';
        s.on('data', (d: Buffer) => (data += d.toString('latin1')));
        s.on('close', () => resolve(data));
      }),
  );
  for (const s of stalled) s.write('gu_b = 12\n'); // the 10 bytes: a body command
  for (const answer of await Promise.all(answers)) assert.match(answer, /^HTTP\/1\.1 200 OK\r\n/);
  assert.ok(await waitFor(idle), `the pool is back to idle: ${await pool()}`);
  await giveUps(2);
  assert.ok(await waitFor(idle), `still idle after two more give-ups: ${await pool()}`);
  const status = await rawRequest(port, commandRequest('get status'), 3000);
  assert.equal(status.status, 200);
  assert.match(status.body, /running/);
});

test('five stalled bodies hold no worker: get status is answered while they are held', async () => {
  const stalled = await Promise.all(Array.from({ length: 5 }, () => openHeld(port, stalledPost)));
  try {
    await pause(100);
    assert.match(await pool(), /\[0, 0, 0, 0, 0\]/, 'a body being read takes no worker');
    const status = await rawRequest(port, commandRequest('get status'), 2000);
    assert.equal(status.status, 200);
  } finally {
    for (const s of stalled) s.destroy();
  }
});

test('a body that does not arrive within read_timeout is answered 408 naming the limit, and its connection is closed', async () => {
  const started = Date.now();
  const reply = await rawRequest(port, stalledPost, 6000);
  assert.equal(reply.status, 408);
  assert.match(reply.body, /3 seconds.*read_timeout/);
  assert.ok(Date.now() - started < 5000, `closed after ${Date.now() - started} ms`);
  assert.ok(await waitFor(() => node.rest.openConnections() === 0), 'no connection left open');
});

test('a client closing mid-body or after sending headers only leaves no connection and no busy worker', async () => {
  const half = await openHeld(port, `${stalledPost}01234`);
  const headersOnly = await openHeld(port, 'GET / HTTP/1.1\r\nHost: x\r\ncommand: get status\r\n');
  await pause(50);
  half.destroy();
  headersOnly.destroy();
  assert.ok(await waitFor(() => node.rest.openConnections() === 0), 'no connection left open');
  assert.ok(await idle());
});
