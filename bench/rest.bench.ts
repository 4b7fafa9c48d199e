// REST throughput: `get status` through the node's REST server (parse, dispatch, render, EdgeLake framing)
// against a bare Node http server answering the same bytes — the baseline, measured in the same run with the
// same client. Bounded: a fixed number of requests at a fixed concurrency, on loopback.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EdgeNode } from '../electron/services/node.js';
import { freePort } from '../electron/services/testing/net.js';

const REQUESTS = 3000;
const CONCURRENCY = 8;

function get(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { command: 'get status', 'User-Agent': 'AnyLog/1.23' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

async function load(port: number): Promise<number> {
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next++;
        await get(port);
      }
    }),
  );
  return REQUESTS / (Number(process.hrtime.bigint() - t0) / 1e9);
}

const bare = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text', Connection: 'close', 'Content-Length': 24 });
  res.end('AnyLog@127.0.0.1 running');
});
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
const barePort = (bare.address() as AddressInfo).port;

const home = await mkdtemp(join(tmpdir(), 'edgelake-bench-'));
const node = new EdgeNode({ home, ip: '127.0.0.1' });
await node.start();
const port = await freePort();
await node.execute(`run rest server where external_ip = 127.0.0.1 and external_port = ${port} and internal_ip = 127.0.0.1 and internal_port = ${port} and bind = true`);

await load(barePort); // warm both paths once
await load(port);
const baseline = await load(barePort);
const ours = await load(port);
const rss = process.memoryUsage().rss / 1024 / 1024;
console.log(`bare http server:   ${baseline.toFixed(0)} req/s (baseline)`);
console.log(`node REST get status: ${ours.toFixed(0)} req/s`);
console.log(`ratio: ${(ours / baseline).toFixed(2)} of the baseline; peak RSS ${rss.toFixed(0)} MB`);
console.log(JSON.stringify({ bench: 'rest-get-status', requests: REQUESTS, concurrency: CONCURRENCY, rest_req_per_s: Math.round(ours), baseline_req_per_s: Math.round(baseline), ratio: Number((ours / baseline).toFixed(3)), peak_rss_mb: Math.round(rss) }));

await node.stop();
await new Promise<void>((r) => bare.close(() => r()));
await rm(home, { recursive: true, force: true });
