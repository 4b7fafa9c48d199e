// The handlers run on any NodeLink: a stand-in for a remote node, with no EdgeNode anywhere, serves every channel.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CHANNEL_NAMES } from '../../../shared/contract.js';
import type { CommandReply } from '../../../shared/types.js';
import { createHandlers, subscribeEvents } from './handlers.js';
import type { NodeLink } from './link.js';

function remoteStandIn(executed: string[]): NodeLink {
  const reply = (text: string): CommandReply => ({ code: 0, text });
  const unavailable = async () => {
    throw new Error('unavailable on this node');
  };
  return {
    execute: async (command) => (executed.push(command), reply(`ran ${command}`)),
    processes: async () => [{ name: 'TCP', edgelake: true, status: 'Running', details: 'Listening on: 10.0.0.5:32048', stopCommand: 'exit tcp server', startCommand: 'run tcp server where external_ip = 10.0.0.5' }],
    info: async () => ({ nodeName: 'remote', home: '', version: '1.4.2604' }),
    tsd: { query: unavailable, lineage: unavailable },
    errors: { list: unavailable, read: unavailable, replay: unavailable, remove: unavailable },
    archive: { list: unavailable, preview: unavailable, plan: unavailable, reingest: unavailable },
    operatorStats: async () => ({ running: false, series: [] }),
    policies: { list: unavailable, check: unavailable, insert: unavailable, remove: unavailable, topology: unavailable },
    network: { peers: unavailable, check: async ({ address }) => ({ address, reachable: true, ms: 3, detail: 'running' }), send: unavailable },
    subscribe: (send) => {
      send('node:output', { text: 'hello' });
      return () => undefined;
    },
  };
}

test('every channel is served from the link: process start and stop use the commands the node lists, no EdgeNode involved', async () => {
  const executed: string[] = [];
  const handlers = createHandlers(remoteStandIn(executed));
  assert.deepEqual(Object.keys(handlers).sort(), [...CHANNEL_NAMES].sort());
  await handlers['process:stop']({ name: 'TCP' });
  await handlers['process:start']({ name: 'TCP' });
  assert.deepEqual(executed, ['exit tcp server', 'run tcp server where external_ip = 10.0.0.5']);
  await assert.rejects(handlers['process:start']({ name: 'Nope' }), /unknown process 'Nope'/);
  assert.equal((await handlers['network:check']({ address: '10.0.0.5:32048' })).reachable, true);
  await assert.rejects(handlers['archive:preview']({ path: 'x' }), /unavailable on this node/);
  const events: string[] = [];
  subscribeEvents(remoteStandIn([]), (event) => events.push(event));
  assert.deepEqual(events, ['node:output']);
});

test('the handlers module does not import the node: only the link', () => {
  const source = readFileSync(new URL('./handlers.ts', import.meta.url), 'utf8');
  assert.doesNotMatch(source, /from '\.\.\/node\.js'/);
});
