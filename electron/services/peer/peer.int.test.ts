// Two of our nodes on loopback speaking EdgeLake's peer protocol: run client and its replies (text, JSON, errors,
// several destinations, an unreachable peer), get connections, and a listener fed 10,000 random and truncated
// blocks that stays up, leaks no socket and answers the next valid message.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EdgeNode } from '../node.js';
import { freePort } from '../testing/net.js';
import { cliSections, SPEC_DIR } from '../testing/transcripts.js';
import { encodeBlock, requestHeader } from './codec.js';
import { fuzzedBlock, seeded } from '../testing/fuzz.js';

let home: string;
let a: EdgeNode;
let b: EdgeNode;
let portA: number;
let portB: number;

const tcp = (port: number) => `run tcp server where external_ip = 127.0.0.1 and external_port = ${port} and internal_ip = 127.0.0.1 and internal_port = ${port} and bind = true and threads = 2`;

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'edgelake-peer-'));
  a = new EdgeNode({ home: join(home, 'a'), ip: '127.0.0.1' });
  b = new EdgeNode({ home: join(home, 'b'), ip: '127.0.0.1' });
  await a.start();
  await b.start();
  portA = await freePort();
  portB = await freePort();
  assert.equal((await b.execute('run client 127.0.0.1:1 get status')).code, 21, 'no TCP server: no reply address');
  assert.equal((await a.execute(tcp(portA))).code, 0);
  assert.equal((await b.execute(tcp(portB))).code, 0);
});
after(async () => {
  await a.stop();
  await b.stop();
  await rm(home, { recursive: true, force: true });
});

test('run client: the command runs on the peer and its reply prints as EdgeLake prints it', async () => {
  const status = await a.execute(`run client 127.0.0.1:${portB} get status`);
  assert.equal(status.code, 0, status.text);
  // As a real EdgeLake node prints a peer's reply (observed): `[From Node ip:port] `, a blank line, the text.
  assert.equal(status.text, `\r\n[From Node 127.0.0.1:${portB}] \r\n\r\n"AnyLog@127.0.0.1:${portB} running"\r\n\r\n`);
  const json = await a.execute(`run client 127.0.0.1 ${portB} get status where format = json`);
  assert.equal(json.text, `\r\n[From Node 127.0.0.1:${portB}] \r\n\r\n{"assigned_name" : "AnyLog@127.0.0.1:${portB}",\r\n "status" : "running",\r\n "profiling" : False}\r\n\r\n`);
  // A variable is resolved on the sender; a quoted word travels with TABs and comes back whole.
  await a.execute('greeting = "hello peer"');
  await b.execute('x = 1');
  assert.equal((await a.execute(`run client 127.0.0.1:${portB} y = !greeting`)).code, 0);
  assert.equal(b.dictionary.get('y'), 'hello peer');
  // Several lines print as they are (EdgeLake's struct_print), not in quotes.
  const table = await a.execute(`run client 127.0.0.1:${portB} get processes`);
  assert.match(table.text, /\] \r\n\r\n\r\n {4}Process +Status +Details/);
  assert.doesNotMatch(table.text, /"\r\n {4}Process/);
  const bad = await a.execute(`run client 127.0.0.1:${portB} get nothing`);
  assert.match(bad.text, /\[From Node 127\.0\.0\.1:\d+\] {2}\r\n"Error Command Structure"/);
  const unknown = await a.execute(`run client 127.0.0.1:${portB} nosuchcommand abc`);
  assert.match(unknown.text, /\[From Node 127\.0\.0\.1:\d+\] Command 'nosuchcommand abc' not recoginzed \r\n/);
});

test('several destinations: each reply is filed by receiver; an unreachable peer says why', async () => {
  const dead = await freePort();
  const r = await a.execute(`run client (127.0.0.1:${portB}, 127.0.0.1:${dead}) get node name`);
  assert.equal(r.code, 0, r.text);
  assert.match(r.text, new RegExp(`\\[From Node 127\\.0\\.0\\.1:${portB}\\] \\r\\n\\r\\n"AnyLog@127\\.0\\.0\\.1:${portB}"`));
  assert.match(r.text, new RegExp(`\\[From Node 127\\.0\\.0\\.1:${dead}\\]\\r\\n127\\.0\\.0\\.1:${dead}: connection refused`));
  const none = await a.execute(`run client 127.0.0.1:${dead} get status`);
  assert.equal(none.code, 208);
  assert.match(none.detail!, /connection refused/);
});

test('get connections and get processes show the TCP server as EdgeLake does', async () => {
  assert.match((await a.execute('get connections')).text, new RegExp(`\\r\\nTCP +\\|127\\.0\\.0\\.1:${portA} \\|127\\.0\\.0\\.1:${portA} \\|127\\.0\\.0\\.1:${portA}\\|`));
  assert.match((await a.execute('get processes')).text, new RegExp(`TCP +\\|Running +\\|Listening on: 127\\.0\\.0\\.1:${portA}, Threads Pool: 6`));
});

test('10,000 random and truncated blocks: the listener stays up, leaks no socket and answers the next message', async () => {
  const random = seeded(42);
  const good = encodeBlock(requestHeader({ ip: '127.0.0.1', port: portA }), 'get status');
  const send = (bytes: Buffer) =>
    new Promise<void>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port: portB }, () => s.end(bytes));
      s.on('close', () => resolve());
      s.on('error', () => resolve());
    });
  const blocks = 10_000;
  for (let i = 0; i < blocks; i += 50) {
    await Promise.all(
      Array.from({ length: 50 }, (_, k) => send(fuzzedBlock(i + k, random, good))),
    );
  }
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(b.peer.openConnections(), 0, 'no socket left open');
  const after = await a.execute(`run client 127.0.0.1:${portB} get status`);
  assert.match(after.text, /running/);
});

test('300 stalled connections, more than the listener holds, do not lock peers out: run client is answered meanwhile', async () => {
  const half = encodeBlock(requestHeader({ ip: '127.0.0.1', port: portA }), 'get status').subarray(0, 1000);
  const stalled = await Promise.all(
    Array.from(
      { length: 300 },
      (_, i) =>
        new Promise<Socket>((resolve) => {
          const s = createConnection({ host: '127.0.0.1', port: portB }, () => (i % 2 ? s.write(half, () => resolve(s)) : resolve(s)));
          s.on('error', () => resolve(s));
        }),
    ),
  );
  try {
    const status = await a.execute(`run client 127.0.0.1:${portB} get status`);
    assert.match(status.text, /running/);
    assert.ok(b.peer.openConnections() <= 256, `the listener stays within its bound (${b.peer.openConnections()} open)`);
  } finally {
    for (const s of stalled) s.destroy();
  }
  const end = Date.now() + 2000;
  while (b.peer.openConnections() > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  assert.equal(b.peer.openConnections(), 0, 'no socket left open');
});

test('a REST request with a destination header runs on the peers and returns their replies (rest-destination.txt form)', async () => {
  const rest = await freePort();
  assert.equal((await a.execute(`run rest server where external_ip = 127.0.0.1 and external_port = ${rest} and internal_ip = 127.0.0.1 and internal_port = ${rest} and bind = true and timeout = 10`)).code, 0);
  const call = (command: string, destination: string) => fetch(`http://127.0.0.1:${rest}`, { headers: { command, 'User-Agent': 'AnyLog/1.23', destination } });
  const text = await call('get status', `127.0.0.1:${portB}`);
  assert.equal(text.status, 200);
  assert.equal(await text.text(), `\r\n[From Node 127.0.0.1:${portB}] AnyLog@127.0.0.1:${portB} running\r\n`);
  const json = await call('get status where format = json', `127.0.0.1:${portB}`);
  assert.deepEqual(await json.json(), { [`127.0.0.1:${portB}`]: { assigned_name: `AnyLog@127.0.0.1:${portB}`, status: 'running', profiling: false } });
  const dead = await freePort();
  const failed = await call('get status', `127.0.0.1:${dead}`);
  const body = (await failed.json()) as { err_code: number };
  assert.equal(body.err_code, 208);
  assert.equal((await a.execute('exit rest')).code, 0);
});

test('blockchain insert ... master = ip:port pushes the policy to a master, which keeps it in its ledger table; delete drops it', async () => {
  // A is the master: its ledger table receives what nodes push.
  assert.equal((await a.execute('connect dbms blockchain where type = sqlite')).code, 0);
  assert.equal((await a.execute('create table ledger where dbms = blockchain')).code, 0);
  const r = await b.execute(`blockchain insert where policy = {"master": {"name": "master-1", "company": "My Company", "ip": "127.0.0.1", "port": ${portA}, "rest_port": 1}} and local = true and master = 127.0.0.1:${portA}`);
  assert.equal(r.code, 0, r.text);
  const id = (await b.execute('blockchain get master bring [master][id]')).text.trim();
  const rows = async () => (await a.databases.get('blockchain').query('select policy_id, policy from ledger')).rows;
  const end = Date.now() + 5000;
  while ((await rows()).length === 0 && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
  const [row] = await rows();
  assert.equal(row![0], id);
  assert.match(String(row![1]), /"ledger": "global"\}\}$/);
  assert.equal((await b.execute(`blockchain delete policy where id = ${id} and master = 127.0.0.1:${portA}`)).code, 0);
  const gone = Date.now() + 5000;
  while ((await rows()).length > 0 && Date.now() < gone) await new Promise((res) => setTimeout(res, 20));
  assert.equal((await rows()).length, 0);
  const dead = await freePort();
  const warned = await b.execute(`blockchain insert where policy = {"query": {"name": "q1", "company": "My Company", "ip": "127.0.0.1", "port": 1}} and local = true and master = 127.0.0.1:${dead}`);
  assert.equal(warned.code, 0, 'the local ledger has it: a warning, as EdgeLake');
  assert.match(warned.text, new RegExp(`not sent to master 127\\.0\\.0\\.1:${dead}: .*connection refused`));
});

test('ledger sync: a node pulls the master ledger, keeps and re-pushes its local policies; the master writes its own file from its table', async () => {
  // A (master) has a table with the policies pushed so far; add two more through its own insert (mirrored into the table).
  for (const p of ['{"cluster": {"company": "My Company", "name": "sync-cluster"}}', '{"query": {"name": "query-s", "company": "My Company", "ip": "127.0.0.1", "port": 9}}']) {
    assert.equal((await a.execute(`blockchain insert where policy = ${p} and local = true`)).code, 0);
  }
  const table = await a.metadata.tableText();
  assert.ok(table && table.split('\n').filter(Boolean).length >= 2, table);
  // B has a local policy the master does not know.
  assert.equal((await b.execute('blockchain insert where policy = {"gadget": {"name": "only-on-b"}} and local = true')).code, 0);
  assert.equal((await b.execute(`run blockchain sync where source = master and time = 1 second and dest = file and connection = 127.0.0.1:${portA}`)).code, 0);
  const end = Date.now() + 10_000;
  const bFile = () => readFile(b.dictionary.get('blockchain_file')!, 'utf8');
  while (!(await bFile()).includes('sync-cluster') && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  const pulled = await bFile();
  assert.ok(pulled.startsWith(table!), 'the master ledger, byte for byte, first');
  assert.match(pulled, /"gadget": \{"name": "only-on-b"/);
  assert.match((await b.execute('blockchain get cluster where name = sync-cluster bring [cluster][id]')).text, /^[0-9a-f]{32}/);
  // The local policy was pushed back to the master ("push ignore").
  const back = Date.now() + 10_000;
  while (!((await a.metadata.tableText()) ?? '').includes('only-on-b') && Date.now() < back) await new Promise((r) => setTimeout(r, 50));
  assert.match((await a.metadata.tableText())!, /only-on-b/);
  const sync = (await b.execute('get synchronizer')).text;
  assert.match(sync, new RegExp(`\\r\\nRunning\\|master \\|127\\.0\\.0\\.1:${portA}\\| +1\\|[0-9a-f]{32}\\|`));
  // The titles as the real node prints them (get-synchronizer.txt).
  const captured = cliSections('get-synchronizer.txt')[0]!.output.split('\r\n').slice(1, 4);
  assert.deepEqual(sync.split('\r\n').slice(1, 4), captured);
  assert.match((await b.execute('get processes')).text, /Blockchain Sync\s*\|Running/);
  assert.equal((await b.execute('exit synchronizer')).code, 0);
  // The master keeps its own file from its table (source = dbms).
  assert.equal((await a.execute('run blockchain sync where source = dbms and time = 1 second and dest = file')).code, 0);
  assert.equal(await readFile(a.dictionary.get('blockchain_file')!, 'utf8'), await a.metadata.tableText());
  assert.equal((await a.execute('exit synchronizer')).code, 0);
});

test('large messages: the real node\'s captured large blockchain push runs on our master; ours travel the same way', async () => {
  const vector = Buffer.from(readFileSync(join(SPEC_DIR, 'vectors', 'large-message-blockchain-push.message-as-file-2blocks.hex'), 'utf8').replace(/\s+/g, ''), 'hex');
  await new Promise<void>((resolve, reject) => {
    const s = createConnection({ host: '127.0.0.1', port: portA }, () => s.end(vector));
    s.on('close', () => resolve());
    s.on('error', reject);
  });
  const end = Date.now() + 5000;
  while (!((await a.metadata.tableText()) ?? '').includes('bigsensor') && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  assert.match((await a.metadata.tableText())!, /"name": "bigsensor"/);
  // Ours: a policy too big for one block, pushed to the master.
  const notes = Array.from({ length: 300 }, (_, i) => `n${i}`).join(' ');
  const r = await b.execute(`blockchain insert where policy = {"sensor": {"name": "hugesensor", "notes": "${notes}"}} and local = true and master = 127.0.0.1:${portA}`);
  assert.equal(r.code, 0, r.text);
  const wait = Date.now() + 5000;
  while (!((await a.metadata.tableText()) ?? '').includes('hugesensor') && Date.now() < wait) await new Promise((res) => setTimeout(res, 20));
  assert.match((await a.metadata.tableText())!, /"name": "hugesensor"/);
});

test('run client takes its destinations from the ledger', async () => {
  await b.execute(`blockchain insert where policy = {"query": {"name": "query-a", "company": "My Company", "ip": "127.0.0.1", "port": ${portA}}} and local = true`);
  const r = await b.execute('run client (blockchain get query where name = query-a bring.ip_port) get node name');
  assert.match(r.text, new RegExp(`\\[From Node 127\\.0\\.0\\.1:${portA}\\] \\r\\n\\r\\n"AnyLog@127\\.0\\.0\\.1:${portA}"`));
});

test('messages nobody asked for (a job reply for a job that is gone, an event not served) are dropped and counted, never answered', async () => {
  const sink = await freePort();
  const received: string[] = [];
  const { PeerListener, sendMessage } = await import('./transport.js');
  const listener = new PeerListener((m) => received.push(m.blocks[0]!.command));
  await listener.listen('127.0.0.1', sink);
  try {
    const header = requestHeader({ ip: '127.0.0.1', port: sink, jobLocation: 77, jobId: 4242 });
    await sendMessage('127.0.0.1', portB, [encodeBlock(header, 'job reply', Buffer.from('{"Query":[]}'))]);
    await sendMessage('127.0.0.1', portB, [encodeBlock(header, 'event get_recent_tsd_info tsd_12 2026-01-01 0')]);
    await sendMessage('127.0.0.1', portB, [encodeBlock(header, 'get node name')]); // a command: answered
    for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(received, ['print'], 'only the command was answered');
    assert.equal(b.peer.activity().dropped, 2);
    // get tcp pool as EdgeLake prints it (get-tcp-pool.txt): six workers, the messages received.
    assert.match((await b.execute('get tcp pool')).text, /^TCP Pool with 6 threads: {36}\[0, 0, 0, 0, 0, 0\] \(\d+\)\r\n$/);
    assert.equal(b.peer.router.dropped.get('job reply for a job that is gone'), 1);
    assert.equal(b.peer.router.dropped.get('event get_recent_tsd_info not served'), 1);
  } finally {
    await listener.close();
  }
});

test('ping: a real round trip read as data — reachable with its status and time, or the reason it is not', async () => {
  const ok = await a.peer.ping(`127.0.0.1:${portB}`);
  assert.equal(ok.reachable, true);
  assert.equal(ok.detail, `AnyLog@127.0.0.1:${portB} running`);
  assert.ok(ok.ms >= 0 && ok.ms < 3000);
  const dead = await freePort();
  const down = await a.peer.ping(`127.0.0.1:${dead}`);
  assert.equal(down.reachable, false);
  assert.match(down.detail, /connection refused/);
});

test('with set echo queue on, a peer message nobody waits for goes to the echo queue instead of the console', async () => {
  const { sendMessage } = await import('./transport.js');
  const printed: string[] = [];
  const onOutput = (t: string) => printed.push(t);
  b.on('output', onOutput);
  try {
    await b.execute('set echo queue on');
    await sendMessage('127.0.0.1', portB, [encodeBlock(requestHeader({ ip: '127.0.0.1', port: portA }), 'echo', Buffer.from('policy stored'))]);
    const end = Date.now() + 3000;
    while (!b.log.echoQueue().some((e) => e.text.includes('policy stored')) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    assert.ok(b.log.echoQueue().some((e) => e.text === `[From Node 127.0.0.1:${portA}] policy stored`));
    assert.deepEqual(printed.filter((p) => p.includes('policy stored')), []);
  } finally {
    await b.execute('set echo queue off');
    b.off('output', onOutput);
  }
});

test('metadata ping: a peer marked not responding is pinged by set servers ping, answers metadata_pong and is active again', async () => {
  const bAddress = `127.0.0.1:${portB}`;
  const dead = `127.0.0.1:${await freePort()}`;
  await a.execute(`run client ${dead} get status`); // cannot be reached: not responding
  assert.equal(a.peer.peers.isActive(dead), false);
  a.peer.peers.mark(bAddress, false);
  assert.ok(a.peer.peers.notResponding().includes(bAddress));
  assert.equal((await a.execute('set servers ping')).code, 0);
  const end = Date.now() + 3000;
  while (a.peer.peers.isActive(bAddress) !== true && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  assert.equal(a.peer.peers.isActive(bAddress), true, 'b answered event metadata_ping with event metadata_pong');
  assert.equal(b.peer.router.dropped.get('event metadata_ping not served'), undefined);
  assert.match((await a.execute('get processes')).text, /Scheduler +\|Running +\|Schedulers IDs in use: \[0 \(system\)\]/);
});
