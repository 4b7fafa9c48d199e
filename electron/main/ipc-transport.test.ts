// main's wiring without Electron: the contract bound to a fake ipcMain exactly as main.ts binds it.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CHANNEL_NAMES, IPC_PREFIX, type Handlers } from '../../shared/contract.js';
import { bindContract } from '../services/console-api/bind.js';
import { embeddedLink } from '../services/console-api/embedded-link.js';
import { createHandlers } from '../services/console-api/handlers.js';
import { EdgeNode } from '../services/node.js';
import { ipcMainTransport, type IpcMainLike } from './ipc-transport.js';

type Listener = Parameters<IpcMainLike['handle']>[1];

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, request: unknown, url = 'file:///app/dist/renderer/index.html'): Promise<unknown> {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`no handler for ${channel}`);
    return Promise.resolve(listener({ senderFrame: { url } }, request));
  }
}

let home: string;
let node: EdgeNode;
const ipc = new FakeIpcMain();
const calls: string[] = [];

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'edgelake-ipc-'));
  node = new EdgeNode({ home, ip: '127.0.0.1' });
  await node.start();
  const real = createHandlers(embeddedLink(node));
  // Spies: record which handlers actually ran.
  const spied = Object.fromEntries(
    Object.entries(real).map(([name, fn]) => [name, (req: never) => (calls.push(name), (fn as (r: never) => Promise<unknown>)(req))]),
  ) as unknown as Handlers;
  bindContract(spied, ipcMainTransport(ipc));
});
after(async () => {
  await node.stop();
  await rm(home, { recursive: true, force: true });
});

test('every channel of the contract has a handler on ipcMain, and nothing else is registered', () => {
  assert.deepEqual([...ipc.handlers.keys()].sort(), CHANNEL_NAMES.map((c) => IPC_PREFIX + c).sort());
});

test('every channel refuses an invalid request before its handler runs', async () => {
  for (const channel of CHANNEL_NAMES) {
    calls.length = 0;
    const outcome = (await ipc.invoke(IPC_PREFIX + channel, { bogus: 1 })) as { ok: boolean; error: { code: string; message: string } };
    assert.equal(outcome.ok, false, channel);
    assert.equal(outcome.error.code, 'invalid-request', channel);
    assert.match(outcome.error.message, new RegExp(channel));
    assert.deepEqual(calls, [], `${channel} handler must not run`);
  }
  const wrongType = (await ipc.invoke(`${IPC_PREFIX}node:execute`, { command: 42 })) as { ok: boolean; error: { code: string } };
  assert.equal(wrongType.error.code, 'invalid-request');
});

test('node:execute runs a command on the node and returns its reply', async () => {
  const outcome = (await ipc.invoke(`${IPC_PREFIX}node:execute`, { command: 'get status' })) as { ok: boolean; value: { code: number; text: string } };
  assert.equal(outcome.ok, true);
  assert.equal(outcome.value.code, 0);
  assert.equal(outcome.value.text, 'AnyLog@127.0.0.1 running\r\n');
});

test('node:processes returns the registry in get processes order', async () => {
  const outcome = (await ipc.invoke(`${IPC_PREFIX}node:processes`, {})) as { value: { name: string }[] };
  assert.equal(outcome.value[0]!.name, 'TCP');
  assert.equal(outcome.value.length, 22);
});

test('process:start of an unknown process is a handler error, not a crash', async () => {
  const outcome = (await ipc.invoke(`${IPC_PREFIX}process:start`, { name: 'Nope' })) as { ok: boolean; error: { code: string; message: string } };
  assert.equal(outcome.ok, false);
  assert.equal(outcome.error.code, 'handler-failed');
  assert.match(outcome.error.message, /unknown process 'Nope'/);
});

test('requests from a frame that is not the app page are refused', async () => {
  const outcome = (await ipc.invoke(`${IPC_PREFIX}node:execute`, { command: 'get status' }, 'https://evil.example/')) as { ok: boolean; error: { code: string } };
  assert.equal(outcome.ok, false);
  assert.equal(outcome.error.code, 'unauthorized');
});

test('binding fails loudly when a handler is missing', () => {
  const partial = { ...createHandlers(embeddedLink(node)) } as Partial<Handlers>;
  delete partial['node:info'];
  assert.throws(() => bindContract(partial as Handlers, ipcMainTransport(new FakeIpcMain())), /no handler for channel 'node:info'/);
});
