import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IPC_EVENT_CHANNEL, IPC_PREFIX } from '../../shared/channel-names.js';
import { BridgeError, createPreloadBridge, type IpcRendererLike } from './preload-bridge.js';

function fakeIpc(reply: unknown) {
  const sent: [string, unknown][] = [];
  const listeners = new Set<(e: unknown, ...a: unknown[]) => void>();
  const ipc: IpcRendererLike = {
    invoke: async (channel, request) => (sent.push([channel, request]), reply),
    on: (_c, l) => listeners.add(l),
    removeListener: (_c, l) => listeners.delete(l),
  };
  return { ipc, sent, emit: (...args: unknown[]) => listeners.forEach((l) => l({}, ...args)), listeners };
}

test('invoke sends on the prefixed channel and unwraps a successful outcome', async () => {
  const f = fakeIpc({ ok: true, value: { code: 0, text: 'x' } });
  const bridge = createPreloadBridge(f.ipc);
  assert.deepEqual(await bridge.invoke('node:execute', { command: 'get status' }), { code: 0, text: 'x' });
  assert.deepEqual(f.sent, [[`${IPC_PREFIX}node:execute`, { command: 'get status' }]]);
});

test('invoke refuses a channel outside the contract without sending anything', async () => {
  const f = fakeIpc({ ok: true });
  const bridge = createPreloadBridge(f.ipc);
  await assert.rejects(bridge.invoke('fs:read' as never, {} as never), (e: unknown) => e instanceof BridgeError && e.error.code === 'unknown-channel');
  assert.equal(f.sent.length, 0);
});

test('a failed outcome becomes an error carrying the contract error', async () => {
  const bridge = createPreloadBridge(fakeIpc({ ok: false, error: { code: 'invalid-request', message: 'bad' } }).ipc);
  await assert.rejects(bridge.invoke('node:info', {}), (e: unknown) => e instanceof BridgeError && e.error.code === 'invalid-request');
});

test('subscribe delivers only its event and unsubscribes', () => {
  const f = fakeIpc(undefined);
  const bridge = createPreloadBridge(f.ipc);
  const got: unknown[] = [];
  const off = bridge.subscribe('processes:changed', (p) => got.push(p));
  f.emit('node:output', { text: 'x' });
  f.emit('processes:changed', [1]);
  assert.deepEqual(got, [[1]]);
  off();
  assert.equal(f.listeners.size, 0);
  assert.throws(() => bridge.subscribe('secret' as never, () => undefined), BridgeError);
  void IPC_EVENT_CHANNEL;
});
