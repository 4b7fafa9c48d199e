// The one service shape (core/service.ts): a service added through the node's list gets its commands and its
// process line, and is stopped with the node; a node running every service leaks no handle when it stops.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DisposableStore } from './core/disposables.js';
import type { NodeService } from './command/service.js';
import { EdgeNode } from './node.js';
import { handles, leakedHandles } from './testing/leaks.js';
import { freePort } from './testing/net.js';

/** A throwaway service: `run smtp client` opens a server and a timer in its store; `exit smtp` releases them. */
class ThrowawayService implements NodeService {
  readonly name = 'throwaway';
  private store: DisposableStore | undefined;
  stops = 0;

  constructor(private readonly node: EdgeNode) {}

  commands() {
    return [
      {
        key: 'run smtp client',
        usage: 'run smtp client',
        help: 'A test service.',
        keyOnly: true,
        run: async () => {
          const store = (this.store = new DisposableStore());
          const server: Server = createServer();
          await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
          store.defer(() => new Promise<void>((r) => server.close(() => r())));
          const timer = setInterval(() => undefined, 1000);
          store.defer(() => clearInterval(timer));
          store.defer(this.node.processes.register('SMTP', { running: () => this.store === store, details: () => 'throwaway at work' }));
          return { code: 0 };
        },
      },
    ];
  }

  async stop(): Promise<void> {
    this.stops++;
    const store = this.store;
    this.store = undefined;
    await store?.dispose();
  }
}

test('a service added through the list gets its command and process line, and is stopped (once) with the node', async () => {
  const home = await mkdtemp(join(tmpdir(), 'edgelake-services-'));
  let service: ThrowawayService | undefined;
  const before = handles();
  const node = new EdgeNode({ home, ip: '127.0.0.1', services: (n) => [(service = new ThrowawayService(n))] });
  await node.start();
  try {
    assert.ok(node.services.includes(service!));
    assert.equal((await node.execute('run smtp client')).code, 0);
    const processes = await node.execute('get processes');
    assert.match(processes.text, /SMTP\s+\|\s*Running\s*\|\s*throwaway at work/);
    assert.notDeepEqual(await leakedHandles(before, 0), [], 'the service holds a server and a timer while it runs');
  } finally {
    await node.stop();
    await node.stop();
  }
  assert.equal(service!.stops, 1, 'stop() of the node is idempotent');
  assert.deepEqual(await leakedHandles(before), []);
  await rm(home, { recursive: true, force: true });
});

test('a node running every service (REST, TCP, operator, scheduler, sync, databases) leaks no handle when it stops', async () => {
  const home = await mkdtemp(join(tmpdir(), 'edgelake-services-'));
  const before = handles();
  const node = new EdgeNode({ home, ip: '127.0.0.1', schedulerTickMs: 50 });
  await node.start();
  const [rest, tcp] = [await freePort(), await freePort()];
  await writeFile(
    node.dictionary.get('blockchain_file')!,
    '{"operator": {"name": "operator-O", "company": "My Company", "ip": "127.0.0.1", "port": 32280, "rest_port": 32281, "cluster": "4c323938146b4662b5c8961346322530", "id": "661a6fd9374f7a02b260cfcfd1ded312", "date": "2026-11-23T00:38:40.061254Z", "member": 57, "ledger": "global"}}\n',
  );
  for (const command of [
    `run rest server where external_ip = 127.0.0.1 and external_port = ${rest} and internal_ip = 127.0.0.1 and internal_port = ${rest} and bind = true`,
    `run tcp server where external_ip = 127.0.0.1 and external_port = ${tcp} and internal_ip = 127.0.0.1 and internal_port = ${tcp} and bind = true`,
    'connect dbms almgm where type = sqlite',
    'connect dbms test where type = sqlite',
    'create table tsd_info where dbms = almgm',
    'run operator where policy = 661a6fd9374f7a02b260cfcfd1ded312 and threads = 2',
    'run scheduler 1',
    'schedule time = 1 second and name = "status" task get status',
    `run blockchain sync where source = master and time = 30 seconds and dest = file and connection = 127.0.0.1:${tcp}`,
  ]) {
    const reply = await node.execute(command);
    assert.equal(reply.code, 0, `${command}: ${reply.text}`);
  }
  // !anylog_server_port and !anylog_rest_port follow the servers actually started (the deployment scripts read them).
  assert.equal(node.dictionary.get('anylog_server_port'), String(tcp));
  assert.equal(node.dictionary.get('anylog_rest_port'), String(rest));
  await node.stop();
  assert.deepEqual(await leakedHandles(before, 5000), []);
  await rm(home, { recursive: true, force: true });
});

test("the seed's positional forms run tcp server !ip !port and run rest server !ip !port start the servers", async () => {
  const home = await mkdtemp(join(tmpdir(), 'edgelake-positional-'));
  const node = new EdgeNode({ home, ip: '127.0.0.1' });
  await node.start();
  try {
    const [tcp, rest] = [await freePort(), await freePort()];
    await node.execute('lo = 127.0.0.1');
    assert.equal((await node.execute(`run tcp server !lo ${tcp} where bind = true`)).code, 0);
    assert.equal((await node.execute(`run rest server !lo ${rest} where bind = true`)).code, 0);
    assert.equal(node.peer.address(), `127.0.0.1:${tcp}`);
    assert.equal(node.rest.config?.internalPort, rest);
    const wrong = await node.execute('run rest server 127.0.0.1');
    assert.equal(wrong.code, 2);
    assert.match(wrong.detail!, /is not an address and a port/);
  } finally {
    await node.stop();
    await rm(home, { recursive: true, force: true });
  }
});
