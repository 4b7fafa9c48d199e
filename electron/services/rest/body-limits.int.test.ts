// Body limits of the REST server (issue 10, defect 6) against a real node on 127.0.0.1: a body past
// max_body_size is refused with 413 naming the limit — at once when Content-Length announces it, as soon as the
// limit is passed when it is chunked — and the server keeps answering; the option is validated like the others.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EdgeNode } from '../node.js';
import { commandRequest, openHeld, parseReply, rawRequest, waitFor } from '../testing/http.js';

let home: string;
let node: EdgeNode;
let port: number;

const post = (extra: string) => `POST / HTTP/1.1\r\nHost: x\r\ncommand: rest_bl = 1\r\nUser-Agent: AnyLog/1.23\r\n${extra}\r\n`;

async function startRest(options: string): Promise<void> {
  await node.execute('exit rest');
  const started = await node.execute(`run rest server where external_ip = 127.0.0.1 and external_port = 0 and internal_ip = 127.0.0.1 and bind = true${options}`);
  assert.equal(started.code, 0, started.text);
  port = Number(node.rest.addresses()!.internal.split(':')[1]);
}

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'edgelake-rest-limits-'));
  node = new EdgeNode({ home, ip: '127.0.0.1' });
  await node.start();
});
after(async () => {
  await node.stop();
  await rm(home, { recursive: true, force: true });
});

test('a Content-Length past the default 32 MB limit is answered 413 at once, before any of the body is sent', async () => {
  await startRest('');
  const reply = await rawRequest(port, post('Content-Length: 314572800\r\n'), 2000);
  assert.equal(reply.status, 413);
  assert.match(reply.body, /Content-Length 314,572,800 bytes\) is larger than the REST server's limit of 32 MB \(max_body_size\)/);
  assert.match(reply.body, /max_body_size = 64MB/, 'says how to raise it');
  assert.equal((await rawRequest(port, commandRequest('get status'))).status, 200);
  assert.match((await node.execute('get rest calls')).text, /Request body too large/);
});

test('Expect: 100-continue with a length past the limit gets the 413 instead of 100 Continue', async () => {
  const socket = await openHeld(port, post('Content-Length: 40000000\r\nExpect: 100-continue\r\n'));
  const received = await new Promise<string>((resolve) => {
    let data = '';
    socket.on('data', (d: Buffer) => (data += d.toString('latin1')));
    socket.on('close', () => resolve(data));
  });
  assert.match(received, /^HTTP\/1\.1 413 Payload Too Large\r\n/);
});

test('a chunked body is refused with 413 as soon as it passes max_body_size, without waiting for its end', async () => {
  await startRest(' and max_body_size = 1KB');
  const socket = await openHeld(port, post('Transfer-Encoding: chunked\r\n'));
  const chunk = 'x = 1\n'.repeat(100); // 600 bytes
  socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
  socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`); // 1,200 bytes: past 1 KB; the last chunk is never sent
  const received = await new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(chunks)));
  });
  const reply = parseReply(received);
  assert.equal(reply.status, 413);
  assert.match(reply.body, /\(more than 1,\d{3} bytes\) is larger than the REST server's limit of 1 KB \(max_body_size\)/);
  assert.ok(await waitFor(() => node.rest.openConnections() === 0), 'the connection is closed');
});

test('a body exactly at the limit is read and run; one byte more is refused', async () => {
  const body = `bl_a = ${'y'.repeat(1024 - 'bl_a = \n'.length)}\n`;
  assert.equal(body.length, 1024);
  assert.equal((await rawRequest(port, post(`Content-Length: ${body.length}\r\n`) + body)).status, 200);
  assert.equal(node.dictionary.get('bl_a')?.length, 1024 - 'bl_a = \n'.length);
  assert.equal((await rawRequest(port, post(`Content-Length: ${body.length + 1}\r\n`) + body + '\n')).status, 413);
  assert.match((await node.execute('get rest pool')).text, /\[0, 0, 0, 0, 0\]/);
});

test('max_body_size and read_timeout are validated; a misspelt key gets a did-you-mean', async () => {
  const other = new EdgeNode({ home: join(home, 'other'), ip: '127.0.0.1' });
  await other.start();
  try {
    const base = 'run rest server where external_ip = 127.0.0.1 and external_port = 0';
    const typo = await other.execute(`${base} and max_bdy_size = 1MB`);
    assert.equal(typo.code, 2);
    assert.match(typo.text, /Unknown key 'max_bdy_size'.*did you mean 'max_body_size'/);
    assert.match((await other.execute(`${base} and max_body_size = lots`)).text, /a size such as '10KB'/);
    assert.match((await other.execute(`${base} and max_body_size = 0`)).text, /max_body_size = 0 is too small/);
    assert.match((await other.execute(`${base} and read_timeout = 0`)).text, /read_timeout = 0 is out of range/);
  } finally {
    await other.stop();
  }
});
