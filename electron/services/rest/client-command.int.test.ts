// rest get|post as a client, against a local HTTP server and against this node's own REST server; failures are
// REST_call_err naming the URL and the reason; system is refused.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EdgeNode } from '../node.js';
import { freePort } from '../testing/net.js';

test('rest get answers the body (headers travel), errors name the URL and why; system is refused', async () => {
  const home = await mkdtemp(join(tmpdir(), 'edgelake-rest-client-'));
  const node = new EdgeNode({ home, ip: '127.0.0.1' });
  await node.start();
  const seen: Record<string, string | undefined>[] = [];
  const server = createServer((req, res) => {
    seen.push({ agent: req.headers['user-agent'], method: req.method });
    if (req.url === '/json') res.end('{"loc": "37.4, -122.1", "country": "US"}');
    else {
      res.statusCode = 404;
      res.end('no such thing');
    }
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  try {
    assert.equal((await node.execute(`loc_info = rest get where url = http://127.0.0.1:${port}/json and User-Agent = AnyLog/1.23`)).code, 0);
    assert.equal(node.dictionary.get('loc_info'), '{"loc": "37.4, -122.1", "country": "US"}');
    assert.deepEqual(seen[0], { agent: 'AnyLog/1.23', method: 'GET' });
    await node.execute('loc = from !loc_info bring [loc]');
    assert.equal(node.dictionary.get('loc'), '37.4, -122.1');
    const missing = await node.execute(`rest get where url = http://127.0.0.1:${port}/nope`);
    assert.equal(missing.code, 51);
    assert.match(missing.detail!, /\/nope: 404 Not Found: no such thing/);
    const refused = await node.execute(`rest get where url = http://127.0.0.1:${await freePort()}/`);
    assert.equal(refused.code, 51);
    assert.match(refused.detail!, /ECONNREFUSED/);
    // This node's own REST server, as EdgeLake's documentation calls one node from another.
    const restPort = await freePort();
    await node.execute(`run rest server where external_ip = 127.0.0.1 and external_port = ${restPort} and internal_ip = 127.0.0.1 and internal_port = ${restPort} and bind = true`);
    const status = await node.execute(`rest get where url = http://127.0.0.1:${restPort} and command = "get status" and User-Agent = AnyLog/1.23`);
    assert.equal(status.text, 'AnyLog@127.0.0.1 running\r\n');
    const system = await node.execute('system ls /');
    assert.equal(system.code, 3);
    assert.match(system.detail!, /shell commands .* turned off/);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    await node.stop();
    await rm(home, { recursive: true, force: true });
  }
});
