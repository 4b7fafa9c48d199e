// The headless console's access rules without a server: which Host and Origin values pass, and the token.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';
import { test } from 'node:test';
import { checkAccess, consoleAccess } from './auth.js';

const request = (headers: Record<string, string>, url = '/'): IncomingMessage => ({ url, headers }) as unknown as IncomingMessage;

test('bound to loopback the console answers to every loopback name on its port, and to nothing else', () => {
  const access = consoleAccess('127.0.0.1', 4000, 't');
  assert.deepEqual([...access.hosts].sort(), ['127.0.0.1:4000', '[::1]:4000', 'localhost:4000']);
  assert.deepEqual(checkAccess(request({ host: 'LOCALHOST:4000', authorization: 'Bearer t' }), access), { ok: true });
  assert.equal(checkAccess(request({ host: 'evil.example:4000', authorization: 'Bearer t' }), access).ok, false);
});

test("bound to an address the console answers to that address; bound to all interfaces, to this machine's addresses", () => {
  assert.deepEqual([...consoleAccess('192.0.2.7', 4000, 't').hosts], ['192.0.2.7:4000']);
  const all = consoleAccess('0.0.0.0', 4000, 't').hosts;
  for (const a of Object.values(networkInterfaces()).flat()) if (a) assert.ok(all.has(a.family === 'IPv6' ? `[${a.address.toLowerCase()}]:4000` : `${a.address}:4000`), a.address);
  assert.ok(all.has('localhost:4000'));
  assert.ok(consoleAccess('127.0.0.1', 80, 't').hosts.has('localhost'), 'port 80 is left out of Host by browsers');
});

test("an Origin other than the console's own is refused with 403, a missing or wrong token with 401", () => {
  const access = consoleAccess('127.0.0.1', 4000, 'secret');
  const ok = { host: '127.0.0.1:4000', authorization: 'Bearer secret' };
  assert.deepEqual(checkAccess(request({ ...ok, origin: 'http://127.0.0.1:4000' }), access), { ok: true });
  for (const origin of ['http://evil.example', 'http://localhost:4000', 'http://127.0.0.1:4001', 'null', 'file://', 'ftp://127.0.0.1:4000']) {
    const decision = checkAccess(request({ ...ok, origin }), access);
    assert.equal(decision.ok ? 0 : decision.status, 403, origin);
  }
  const status = (d: ReturnType<typeof checkAccess>) => (d.ok ? 200 : d.status);
  assert.equal(status(checkAccess(request({ host: ok.host }), access)), 401);
  assert.equal(status(checkAccess(request({ host: ok.host }, '/?token=wrong'), access)), 401);
  assert.equal(status(checkAccess(request({ host: ok.host, cookie: 'a=b; edgelake_token_4000=secret' }), access)), 200);
  assert.equal(status(checkAccess(request({ host: ok.host, cookie: 'edgelake_token_4001=secret' }), access)), 401, "another port's cookie");
  assert.equal(status(checkAccess(request({ host: ok.host, cookie: 'edgelake_token_4000=%E0%A4%A' }), access)), 401, 'a malformed cookie');
});
