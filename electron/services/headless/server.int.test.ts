// The headless console: static console, the contract over WebSocket, push events, and the token off loopback.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { EdgeNode } from '../node.js';
import { freePort } from '../testing/net.js';
import { HeadlessConsole } from './server.js';

let home: string;
let staticDir: string;
let node: EdgeNode;

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'edgelake-headless-'));
  staticDir = join(home, 'static');
  await mkdir(join(staticDir, 'assets'), { recursive: true });
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>console</title>');
  await writeFile(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  node = new EdgeNode({ home, ip: '127.0.0.1' });
  await node.start();
});
after(async () => {
  await node.stop();
  await rm(home, { recursive: true, force: true });
});

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

/** Sends requests and collects replies and events. */
function session(ws: WebSocket) {
  const messages: Record<string, unknown>[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(String(d)) as Record<string, unknown>));
  const waitFor = async (pred: (m: Record<string, unknown>) => boolean) => {
    const end = Date.now() + 5000;
    for (;;) {
      const m = messages.find(pred);
      if (m) return m;
      if (Date.now() > end) throw new Error('no such message');
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return {
    messages,
    waitFor,
    call: async (id: number, channel: string, request: unknown) => {
      ws.send(JSON.stringify({ id, channel, request }));
      return waitFor((m) => m.id === id);
    },
  };
}

test('serves the console with a strict CSP, refuses traversal, and falls back to index.html', async () => {
  const server = new HeadlessConsole();
  const url = await server.start({ node, port: 0, staticDir });
  try {
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self';/);
    assert.equal((await fetch(new URL('assets/app.js', url))).headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.doesNotMatch(await (await fetch(new URL('/..%2f..%2fetc/passwd', url))).text(), /root:/);
    assert.match(await (await fetch(new URL('/some/route', url))).text(), /<title>console<\/title>/);
  } finally {
    await server.stop();
  }
});

test('the contract over WebSocket: execute, validation errors, unknown channels, push events', async () => {
  const server = new HeadlessConsole();
  const url = await server.start({ node, port: 0, staticDir });
  const ws = await open(url.replace('http', 'ws') + 'ws');
  const s = session(ws);
  try {
    const reply = (await s.call(1, 'node:execute', { command: 'get status' })) as { ok: boolean; value: { text: string } };
    assert.equal(reply.ok, true);
    assert.equal(reply.value.text, 'AnyLog@127.0.0.1 running\r\n');
    const invalid = (await s.call(2, 'node:execute', { command: 7 })) as { ok: boolean; error: { code: string } };
    assert.equal(invalid.error.code, 'invalid-request');
    const unknown = (await s.call(3, 'fs:read', {})) as { error: { code: string } };
    assert.equal(unknown.error.code, 'unknown-channel');
    ws.send('not json');
    await s.waitFor((m) => m.id === null);
    // A registry change reaches the console as a pushed event.
    const port = await freePort();
    await node.execute(`run rest server where external_ip = 127.0.0.1 and external_port = ${port} and internal_ip = 127.0.0.1 and internal_port = ${port} and bind = true`);
    const event = (await s.waitFor((m) => m.event === 'processes:changed')) as { payload: { name: string; status: string }[] };
    assert.equal(event.payload.find((p) => p.name === 'REST')!.status, 'Running');
    await node.execute('exit rest');
  } finally {
    ws.close();
    await server.stop();
  }
});

test('bound to a non-loopback address the console requires its token on HTTP and WebSocket', async () => {
  const address = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address ?? '0.0.0.0';
  const server = new HeadlessConsole();
  const url = await server.start({ node, host: address, port: 0, staticDir });
  try {
    const token = new URL(url).searchParams.get('token');
    assert.ok(token && token.length >= 20, `a generated token is in the URL: ${url}`);
    const bare = new URL(url);
    bare.search = '';
    assert.equal((await fetch(bare)).status, 401);
    assert.equal((await fetch(bare, { headers: { Authorization: 'Bearer wrong' } })).status, 401);
    const ok = await fetch(url);
    assert.equal(ok.status, 200);
    const cookie = ok.headers.get('set-cookie')!.split(';')[0]!;
    assert.equal((await fetch(new URL('assets/app.js', bare), { headers: { cookie } })).status, 200);
    const wsBase = `ws://${bare.host}/ws`;
    await assert.rejects(open(wsBase), /401/);
    const ws = await open(`${wsBase}?token=${encodeURIComponent(token)}`);
    ws.close();
  } finally {
    await server.stop();
  }
});

test('a token given by the user is the one required', async () => {
  const server = new HeadlessConsole();
  const url = await server.start({ node, host: '0.0.0.0', port: 0, staticDir, token: 'my-own-secret-token' });
  try {
    assert.match(url, /\?token=my-own-secret-token$/);
    const port = new URL(url).port;
    assert.equal((await fetch(`http://127.0.0.1:${port}/?token=my-own-secret-token`)).status, 200);
    assert.equal((await fetch(`http://127.0.0.1:${port}/?token=other`)).status, 401);
  } finally {
    await server.stop();
  }
});
