// A deployment written in the shape of EdgeLake's node-deployment scripts (testdata/: our own scripts, using the
// constructs EdgeLake's use) brings a node up from environment variables alone: a config policy starts TCP and
// REST from its fields, its script list runs, the node's own policy is declared and found again.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EdgeNode } from '../node.js';
import { freePort } from '../testing/net.js';

const SCRIPTS = new URL('./testdata/', import.meta.url).pathname;

test('a master deployed by a main.al-shaped script ends with TCP, REST and a scheduler from its config policy, and its policies', async () => {
  const home = await mkdtemp(join(tmpdir(), 'edgelake-deploy-'));
  const [tcp, rest] = [await freePort(), await freePort()];
  const env = {
    NODE_TYPE: 'master',
    NODE_NAME: 'm-test',
    COMPANY_NAME: 'New Company',
    ANYLOG_SERVER_PORT: String(tcp),
    ANYLOG_REST_PORT: String(rest),
    TCP_BIND: 'true',
    OVERLAY_IP: '127.0.0.1',
    ANYLOG_PATH: home,
    LEDGER_CONN: `localhost:${tcp}`,
  };
  const node = new EdgeNode({ home, ip: '127.0.0.1', env });
  const printed: string[] = [];
  node.on('output', (t) => printed.push(t));
  await node.start();
  try {
    await node.execute(`local_scripts_dir = ${SCRIPTS.replace(/\/$/, '')}`);
    const r = await node.execute(`process ${SCRIPTS}main.al`, 'cli');
    assert.equal(r.code, 0, `${r.text}\n${printed.join('')}`);
    const out = printed.join('');
    assert.match(out, /Configure TCP Server from policy [0-9a-f]{32}/);
    assert.match(out, /Configure REST Server from policy [0-9a-f]{32}/);
    assert.match(out, /Script from policy [0-9a-f]{32} processed/);
    assert.doesNotMatch(out, /Failed to/);
    const processes = (await node.execute('get processes')).text;
    assert.match(processes, new RegExp(`TCP +\\|Running +\\|Listening on: 127\\.0\\.0\\.1:${tcp}`));
    assert.match(processes, new RegExp(`REST +\\|Running +\\|Listening on: 127\\.0\\.0\\.1:${rest}`));
    assert.match(processes, /Scheduler +\|Running/);
    // The config policy keeps its references as EdgeLake does; the node policy holds their values.
    const ledger = await readFile(join(home, 'EdgeLake', 'blockchain', 'blockchain.json'), 'utf8');
    assert.match(ledger, /"config": \{"name": "master-new_company-configs", .*"ip": "!overlay_ip", "port": "!anylog_server_port\.int"/);
    assert.match(ledger, new RegExp(`"master": \\{"name": "m-test", "company": "New Company", "ip": "127\\.0\\.0\\.1", "port": ${tcp}, "rest_port": ${rest}, "loc": "0\\.0, 0\\.0"`));
    assert.equal(node.dictionary.get('deployment_type'), 'EdgeLake');
    assert.equal(node.dictionary.get('ledger_ip'), 'localhost');
    assert.equal(node.dictionary.get('blockchain_destination'), 'file');
    assert.equal(node.dictionary.get('watch_dir'), join(home, 'EdgeLake', 'data', 'watch'), 'set anylog home moved the work directories');
    assert.match((await node.execute('get scheduler 1')).text, /ping/);
    assert.match((await node.execute('get config policies')).text, /master-new_company-configs/);
  } finally {
    await node.stop();
    await rm(home, { recursive: true, force: true });
  }
});
