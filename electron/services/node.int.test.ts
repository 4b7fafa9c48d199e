// The node as a whole: several nodes side by side, start/stop releasing every handle, commands end to end.
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EdgeNode } from './node.js';
import { handles, leakedHandles } from './testing/leaks.js';
import { freePort } from './testing/net.js';

async function tempHome(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'edgelake-node-'));
}

function httpGet(port: number, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'GET', path: '/', headers }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('start creates the standard work directories under the home', async () => {
  const home = await tempHome();
  const node = new EdgeNode({ home, ip: '127.0.0.1' });
  await node.start();
  try {
    for (const key of ['watch_dir', 'archive_dir', 'err_dir', 'bkup_dir', 'dbms_dir', 'tmp_dir', 'blockchain_dir']) {
      const dir = node.dictionary.get(key);
      assert.ok(dir?.startsWith(join(home, 'EdgeLake')), `${key} lies under the home: ${dir}`);
      assert.ok((await stat(dir!)).isDirectory(), `${key} exists`);
    }
  } finally {
    await node.stop();
    await rm(home, { recursive: true, force: true });
  }
});

test('two nodes run side by side, each with its own REST server, name and dictionary', async () => {
  const [homeA, homeB] = [await tempHome(), await tempHome()];
  const a = new EdgeNode({ home: homeA, ip: '127.0.0.1' });
  const b = new EdgeNode({ home: homeB, ip: '127.0.0.1' });
  await a.start();
  await b.start();
  try {
    const [pa, pb] = [await freePort(), await freePort()];
    for (const [node, port] of [[a, pa], [b, pb]] as const) {
      const reply = await node.execute(
        `run rest server where external_ip = 127.0.0.1 and external_port = ${port} and internal_ip = 127.0.0.1 and internal_port = ${port} and bind = true and timeout = 20`,
      );
      assert.equal(reply.code, 0, reply.text);
    }
    assert.equal((await b.execute('set node name node-b')).code, 0);
    const ra = await httpGet(pa, { command: 'get status', 'User-Agent': 'AnyLog/1.23' });
    const rb = await httpGet(pb, { command: 'get status', 'User-Agent': 'AnyLog/1.23' });
    assert.equal(ra.status, 200);
    // Without a TCP server EdgeLake names a node by its ip alone (observed: `AnyLog@192.0.2.2 running`).
    assert.equal(ra.body, 'AnyLog@127.0.0.1 running');
    assert.equal(rb.body, 'node-b@127.0.0.1 running');
    assert.notEqual(a.dictionary.get('watch_dir'), b.dictionary.get('watch_dir'));
  } finally {
    await a.stop();
    await b.stop();
    await rm(homeA, { recursive: true, force: true });
    await rm(homeB, { recursive: true, force: true });
  }
});

test('starting and stopping a node with its REST server 20 times leaks no handle and frees the port at once', async () => {
  const home = await tempHome();
  const port = await freePort();
  const before = handles();
  for (let i = 0; i < 20; i++) {
    const node = new EdgeNode({ home, ip: '127.0.0.1' });
    await node.start();
    const reply = await node.execute(
      `run rest server where external_ip = 127.0.0.1 and external_port = ${port} and internal_ip = 127.0.0.1 and internal_port = ${port} and bind = true`,
    );
    assert.equal(reply.code, 0, `round ${i}: ${reply.text}`);
    const res = await httpGet(port, { command: 'get status', 'User-Agent': 'AnyLog/1.23' });
    assert.equal(res.status, 200);
    await node.stop();
  }
  assert.deepEqual(await leakedHandles(before), []);
  await rm(home, { recursive: true, force: true });
});

test('exit node stops every service and emits stopped', async () => {
  const home = await tempHome();
  const node = new EdgeNode({ home, ip: '127.0.0.1' });
  await node.start();
  const port = await freePort();
  await node.execute(`run rest server where external_ip = 127.0.0.1 and external_port = ${port} and internal_ip = 127.0.0.1 and internal_port = ${port} and bind = true`);
  const stopped = new Promise<void>((r) => node.once('stopped', () => r()));
  await node.execute('exit node');
  await stopped;
  assert.equal(node.running, false);
  assert.ok(node.processes.list().every((p) => p.status === 'Not declared'));
  await assert.rejects(httpGet(port, { command: 'get status', 'User-Agent': 'AnyLog/1.23' }), /ECONNREFUSED/);
  await rm(home, { recursive: true, force: true });
});
