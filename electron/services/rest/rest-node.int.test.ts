// The REST server inside a real node (node.ts composition, the real interpreter): its commands, its process
// entry, and requests that go through the command language.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { EdgeNode } from '../node.js';

let home: string;
let node: EdgeNode;
let port: number;

function send(bytes: string, toPort = port): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(toPort, '127.0.0.1', () => socket.write(bytes));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (data += d));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

function get(command: string, extra = ''): Promise<string> {
  return send(`GET / HTTP/1.1\r\nHost: x\r\ncommand: ${command}\r\nUser-Agent: AnyLog/1.23\r\n${extra}\r\n`);
}

const bodyOf = (response: string) => response.slice(response.indexOf('\r\n\r\n') + 4);

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'edgelake-rest-node-'));
  node = new EdgeNode({ home, ip: '127.0.0.1' });
  await node.start();
  const started = await node.execute(
    'run rest server where external_ip = 127.0.0.1 and external_port = 0 and internal_ip = 127.0.0.1 and bind = true and threads = 3 and timeout = 1',
  );
  assert.equal(started.code, 0, started.text);
  port = Number(node.rest.addresses()!.internal.split(':')[1]);
});
after(async () => {
  await node.stop();
  await rm(home, { recursive: true, force: true });
});

test('the Processes panel offers a start command while REST is not running', async () => {
  const other = new EdgeNode({ home, ip: '127.0.0.1' });
  const rest = other.processes.list().find((p) => p.name === 'REST')!;
  assert.equal(rest.status, 'Not declared');
  assert.match(rest.startCommand ?? '', /^run rest server where external_ip = 127\.0\.0\.1 and external_port = 32149 .* bind = true/);
});

test('get processes and get connections show the running server', async () => {
  const processes = (await node.execute('get processes')).text;
  const details = `Listening on: 127.0.0.1:${port}, Threads Pool: 3, Timeout: 1, SSL: False`;
  assert.match(processes, new RegExp(`\\r\\n {4}REST {11}\\|Running {5}\\|${details.replace(/\./g, '\\.')} *\\|`));
  const rest = node.processes.list().find((p) => p.name === 'REST')!;
  assert.equal(rest.stopCommand, 'exit rest');
  const connections = (await node.execute('get connections')).text;
  assert.match(connections, new RegExp(`\\r\\nREST +\\|127\\.0\\.0\\.1:${port} *\\|127\\.0\\.0\\.1:${port} *\\|127\\.0\\.0\\.1:${port}\\|`));
});

test('a second run rest server is refused: 136 Process already active', async () => {
  const r = await node.execute(`run rest server where external_ip = 127.0.0.1 and external_port = ${port}`);
  assert.equal(r.code, 136);
  assert.match(r.text, /^Process already active\r\n.*exit rest/);
});

test('run rest server refuses bad options, ssl and a port in use with clear messages', async () => {
  const other = new EdgeNode({ home, ip: '127.0.0.1' });
  await other.start();
  try {
    const typo = await other.execute('run rest server where externl_ip = 127.0.0.1 and external_port = 1');
    assert.equal(typo.code, 2);
    assert.match(typo.text, /Unknown key 'externl_ip'.*did you mean 'external_ip'/);
    const ssl = await other.execute('run rest server where external_ip = 127.0.0.1 and external_port = 0 and ssl = true');
    assert.match(ssl.text, /ssl = true is not available yet/);
    const busy = await other.execute(`run rest server where external_ip = 127.0.0.1 and external_port = ${port} and bind = true`);
    assert.equal(busy.code, 81);
    assert.match(busy.text, new RegExp(`127\\.0\\.0\\.1:${port}: the address is already in use`));
  } finally {
    await other.stop();
  }
});

test('requests run through the command language: status, body commands, assignment, URL form', async () => {
  const status = (await node.execute('get status')).text.trimEnd();
  assert.equal(bodyOf(await get('get status')), status);
  const body = 'rest_a = 1\nrest_b = 2';
  await send(`POST / HTTP/1.1\r\ncommand: set node name rest-node\r\nUser-Agent: AnyLog/1.23\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  assert.equal(node.dictionary.get('rest_a'), '1');
  assert.equal(node.dictionary.get('rest_b'), '2', 'the last body line without newline ran whole');
  assert.match(bodyOf(await get('get status')), /^rest-node@/);
  await node.execute('set node name AnyLog');
  assert.match(await get('get status', 'assignment: rest_st\r\n'), /^HTTP\/1\.1 200 OK\r\n/);
  assert.equal(node.dictionary.get('rest_st'), status);
  assert.equal(bodyOf(await send('GET /?User-Agent=AnyLog/1.23?command=get%20!rest_st HTTP/1.1\r\nHost: x\r\n\r\n')), status);
});

test('a command slower than the server timeout answers 26 Time Out; the timeout header extends it', async () => {
  const slow = await get('wait 2');
  assert.match(slow, /^HTTP\/1\.1 400 \{"method": "get", "node": "127\.0\.0\.1", "err_code": 26, "err_text": "Time Out"/);
  assert.match(await get('wait 1.2', 'timeout: 3\r\n'), /^HTTP\/1\.1 200 OK\r\n/);
});

test("EdgeLake's documented curl line works against the node", async () => {
  const { stdout } = await promisify(execFile)('curl', ['-s', '-X', 'GET', `127.0.0.1:${port}`, '-H', 'command: get status', '-H', 'User-Agent: AnyLog/1.23']);
  assert.equal(stdout, (await node.execute('get status')).text.trimEnd());
});

test('get rest server info, get rest pool and set rest timeout', async () => {
  const info = (await node.execute('get rest server info')).text;
  assert.match(info, new RegExp(`\\r\\nconnection {6}\\| http://127\\.0\\.0\\.1:${port} \\|`));
  assert.match(info, /\r\nworkers_count {3}\| 3 +\|/);
  assert.match((await node.execute('get rest pool')).text, /^REST Pool with 3 threads: +\[0, 0, 0\] \(\d+\)\r\n$/);
  assert.match((await node.execute('get rest pool where details = true')).text, /^\r\nREST Pool:\r\nThread Status Calls Percentage/);
  assert.equal((await node.execute('set rest timeout 2 minutes')).code, 0);
  assert.match(node.processes.list().find((p) => p.name === 'REST')!.details, /Timeout: 120,/);
  const bad = await node.execute('set rest timeout soon');
  assert.equal(bad.code, 2);
  assert.match(bad.text, /'soon' is not a time/);
  await node.execute('set rest timeout 1');
});

test('exit rest frees the port at once; the call statistics remain', async () => {
  assert.equal((await node.execute('exit rest')).code, 0);
  assert.equal(node.rest.addresses(), undefined);
  assert.equal((await node.execute('get rest pool')).text, 'Rest Pool is not declared\r\n');
  assert.match((await node.execute('get rest calls')).text, new RegExp(`using http://127\\.0\\.0\\.1:${port}\\r\\n[^]*\\r\\nanylog *\\|GET \\|`));
  const again = await node.execute(`run rest server where external_ip = 127.0.0.1 and external_port = ${port} and bind = true`);
  assert.equal(again.code, 0, again.text);
  assert.equal(bodyOf(await get('get status')), (await node.execute('get status')).text.trimEnd());
});

test('exit rest sent over REST answers the caller first, then stops the server', async () => {
  const reply = await send('POST / HTTP/1.1\r\ncommand: exit rest\r\nUser-Agent: AnyLog/1.23\r\n\r\n');
  assert.match(reply, /^HTTP\/1\.1 200 OK\r\n[^]*Content-Length: 0\r\nConnection: close\r\n\r\n$/);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(node.rest.addresses(), undefined);
  await assert.rejects(send('GET / HTTP/1.1\r\n\r\n'), /ECONNREFUSED/);
});
