// The headless console: static console, the contract over WebSocket, push events, the token everywhere, and
// Origin/Host checks that keep other sites' pages (and DNS-rebinding pages) from driving the node.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
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

function open(url: string, headers: { origin?: string; host?: string } = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { ...(headers.origin ? { origin: headers.origin } : {}), headers: headers.host ? { host: headers.host } : {} });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

/** The WebSocket endpoint of a console URL, carrying its token (as the console page does). */
function wsUrl(consoleUrl: string): string {
  const u = new URL(consoleUrl);
  return `ws://${u.host}/ws${u.search}`;
}

/** A GET with exactly these headers (fetch does not let a test set Host). */
function get(url: string, headers: OutgoingHttpHeaders = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
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
    // The page's own requests carry the cookie its first load set, as a browser's would.
    const headers = { cookie: page.headers.get('set-cookie')!.split(';')[0]! };
    assert.equal((await fetch(new URL('assets/app.js', url), { headers })).headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.doesNotMatch(await (await fetch(new URL('/..%2f..%2fetc/passwd', url), { headers })).text(), /root:/);
    assert.match(await (await fetch(new URL('/some/route', url), { headers })).text(), /<title>console<\/title>/);
  } finally {
    await server.stop();
  }
});

test('the contract over WebSocket: execute, validation errors, unknown channels, push events', async () => {
  const server = new HeadlessConsole();
  const url = await server.start({ node, port: 0, staticDir });
  const ws = await open(wsUrl(url));
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

/** Runs `fn` against a console on loopback (a free port), stopped after. */
async function onLoopback(fn: (url: string) => Promise<void>): Promise<void> {
  const server = new HeadlessConsole();
  const url = await server.start({ node, port: 0, staticDir });
  try {
    await fn(url);
  } finally {
    await server.stop();
  }
}

test('a page of another site cannot drive the node on loopback: a foreign Origin is refused on the WebSocket upgrade (it ran get status before) and on HTTP', () =>
  onLoopback(async (url) => {
    const page = await get(url, { origin: 'http://evil.example' });
    assert.equal(page.status, 403);
    assert.doesNotMatch(page.body, /<title>/);
    await assert.rejects(open(wsUrl(url), { origin: 'http://evil.example' }), /HTTP 403/);
    const { port } = new URL(url);
    await assert.rejects(open(wsUrl(url), { origin: `http://127.0.0.1:${Number(port) + 1}` }), /HTTP 403/, 'another port is another origin');
    await assert.rejects(open(`ws://127.0.0.1:${port}/ws`, { origin: 'http://evil.example' }), /HTTP 40[13]/);
  }));

test('on loopback the token is required: no token is refused on HTTP and on the WebSocket upgrade', () =>
  onLoopback(async (url) => {
    const token = new URL(url).searchParams.get('token');
    assert.ok(token && token.length >= 20, `a generated token is in the URL: ${url}`);
    const { port } = new URL(url);
    const bare = `http://127.0.0.1:${port}/`;
    const refused = await get(bare);
    assert.equal(refused.status, 401);
    assert.doesNotMatch(refused.body, /<title>/);
    assert.equal((await get(`${bare}assets/app.js`)).status, 401);
    assert.equal((await get(`${bare}?token=wrong`)).status, 401);
    await assert.rejects(open(`ws://127.0.0.1:${port}/ws`), /HTTP 401/);
    await assert.rejects(open(`ws://127.0.0.1:${port}/ws?token=wrong`, { origin: `http://127.0.0.1:${port}` }), /HTTP 401/);
  }));

test('a foreign Host (DNS rebinding) is refused on HTTP and on the WebSocket upgrade, even with the token', () =>
  onLoopback(async (url) => {
    const { port, search } = new URL(url);
    const rebound = await get(url, { host: `evil.example:${port}` });
    assert.equal(rebound.status, 403);
    assert.doesNotMatch(rebound.body, /<title>/);
    assert.equal((await get(url, { host: `127.0.0.1:${Number(port) + 1}` })).status, 403);
    assert.equal((await get(url, { host: 'evil.example' })).status, 403);
    await assert.rejects(open(wsUrl(url), { host: `evil.example:${port}`, origin: `http://evil.example:${port}` }), /HTTP 403/);
    await assert.rejects(open(`ws://127.0.0.1:${port}/ws${search}`, { host: `evil.example:${port}` }), /HTTP 403/);
  }));

test("the console's own origin with the token works: the page sets an HttpOnly SameSite=Strict cookie the WebSocket then carries", () =>
  onLoopback(async (url) => {
    const { port } = new URL(url);
    const page = await get(url);
    assert.equal(page.status, 200);
    assert.match(page.body, /<title>console<\/title>/);
    const setCookie = String(page.headers['set-cookie']);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    const cookie = setCookie.split(';')[0]!;
    // Every name the loopback console answers to, with the page's origin and the cookie only (no token in the URL).
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      assert.equal((await get(`http://127.0.0.1:${port}/assets/app.js`, { host, cookie, origin: `http://${host}` })).status, 200, host);
      const ws = await open(`ws://127.0.0.1:${port}/ws`, { host, origin: `http://${host}` }).catch((e: Error) => e);
      assert.ok(ws instanceof Error, `no cookie, no token: refused on ${host}`);
    }
    const ws = await new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, { origin: `http://127.0.0.1:${port}`, headers: { cookie } });
      socket.once('open', () => resolve(socket));
      socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    try {
      const reply = (await session(ws).call(1, 'node:execute', { command: 'get status' })) as { ok: boolean };
      assert.equal(reply.ok, true);
    } finally {
      ws.close();
    }
  }));
