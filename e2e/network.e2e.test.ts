// The Network panel in Chromium: this node's TCP server, the peers of the ledger with reachability checked by a real
// round trip to a second node, and a command sent to a peer with its reply.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EdgeNode } from '../electron/services/node.js';
import { freePort, startHarness, type Harness } from './harness.js';
import { ConsoleApp } from './pages/console-app.js';

let h: Harness;
let app: ConsoleApp;
let peer: EdgeNode;
let peerHome: string;
let own: number;
let other: number;
let dead: number;

const tcp = (port: number) => `run tcp server where external_ip = 127.0.0.1 and external_port = ${port} and internal_ip = 127.0.0.1 and internal_port = ${port} and bind = true`;

before(async () => {
  h = await startHarness();
  app = new ConsoleApp(h.page);
  [own, other, dead] = [await freePort(), await freePort(), await freePort()];
  peerHome = await mkdtemp(join(tmpdir(), 'edgelake-e2e-peer-'));
  peer = new EdgeNode({ home: peerHome, ip: '127.0.0.1' });
  await peer.start();
  await peer.execute('set node name op-p');
  assert.equal((await peer.execute(tcp(other))).code, 0);
  const cluster = '{"cluster": {"company": "c", "name": "n", "id": "c1", "date": "2026-11-25T00:00:00.000000Z"}}';
  const op = (name: string, port: number, id: string) => `{"operator": {"name": "${name}", "company": "c", "ip": "127.0.0.1", "port": ${port}, "cluster": "c1", "id": "${id}", "date": "2026-11-25T00:00:00.000000Z"}}`;
  await writeFile(h.node.dictionary.get('blockchain_file')!, [cluster, op('operator-self', own, 'o1'), op('operator-p', other, 'o2'), op('operator-gone', dead, 'o3')].join('\n') + '\n');
  await app.open(h.url);
});
after(async () => {
  await h?.close();
  await peer?.stop();
  await rm(peerHome, { recursive: true, force: true });
});

test('without a TCP server the panel says why peers cannot answer; once it runs, the panel shows its address', async () => {
  await app.show('Network');
  await h.page.getByRole('alert').getByText(/The TCP server is not running/).waitFor();
  assert.equal((await h.node.execute(tcp(own))).code, 0);
  await h.page.getByRole('button', { name: 'Refresh' }).click();
  await h.page.getByText(`127.0.0.1:${own}`, { exact: true }).first().waitFor();
  // The Processes panel shows the TCP server with its address and its connections.
  await app.show('Processes');
  const row = h.page.getByRole('row', { name: /^TCP/ });
  await row.getByText(`Listening on: 127.0.0.1:${own}, Threads Pool: 6`).waitFor();
  await row.getByText(/connections? open · \d+ messages received/).waitFor();
  await app.show('Network');
});

test('reachability is a real round trip: the running peer answers, the gone one is unreachable with the reason', async () => {
  const table = h.page.getByRole('table', { name: 'Known peers' });
  await table.getByRole('row', { name: /operator-self/ }).getByText('this node').waitFor();
  await table.getByRole('button', { name: 'Check operator-p' }).click();
  await table.getByRole('row', { name: /operator-p/ }).getByText(/reachable · \d+ ms/).waitFor();
  await table.getByRole('button', { name: 'Check operator-gone' }).click();
  const gone = table.getByRole('row', { name: /operator-gone/ });
  await gone.getByText('unreachable').waitFor();
  await gone.getByText(/connection refused/).waitFor();
  await app.screenshot('network');
});

test('a command sent to a peer comes back with its reply', async () => {
  await h.page.getByRole('table', { name: 'Known peers' }).getByRole('button', { name: 'Send a command to operator-p' }).click();
  assert.equal(await h.page.getByLabel('Peer address').inputValue(), `127.0.0.1:${other}`);
  await h.page.getByLabel('Peer command').fill('get node name');
  await h.page.getByRole('form', { name: 'Send a command to a peer' }).getByRole('button', { name: 'Send' }).click();
  await h.page.getByLabel('Peer reply').getByText(`"op-p@127.0.0.1:${other}"`).waitFor();
});
