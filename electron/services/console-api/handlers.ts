// The contract's handlers, written against the node: the same object serves the desktop (ipcMain) and the
// headless console (WebSocket). Push events are forwarded through `subscribeEvents`.
import type { Handlers, PushEventName, PushEvents } from '../../../shared/contract.js';
import type { CommandReply } from '../../../shared/types.js';
import type { EdgeNode } from '../node.js';
import { listArchive, planReingest, previewArchive, reingestArchive } from './archive.js';
import { deleteError, listErrors, readError, replayError } from './errors.js';
import { checkPeer, networkView, sendToPeer } from './network.js';
import { deletePolicy, listPolicies, topology } from './policies.js';
import { queryTsd, tsdLineage } from './tsd.js';

export function createHandlers(node: EdgeNode, consoleUrl?: () => string | undefined): Handlers {
  const byName = (name: string) => node.processes.list().find((p) => p.name === name);
  const notAvailable = (name: string, what: string): CommandReply => ({
    code: 2,
    errorText: 'Error Command Structure',
    detail: `process '${name}' has no ${what} command`,
    text: `Error Command Structure\r\nprocess '${name}' has no ${what} command`,
  });
  return {
    'node:execute': async ({ command }) => node.execute(command, 'console'),
    'node:processes': async () => node.processes.list(),
    'node:info': async () => node.info(consoleUrl?.()),
    'process:start': async ({ name }) => {
      const info = byName(name);
      if (!info) throw new Error(`unknown process '${name}'`);
      return info.startCommand ? node.execute(info.startCommand, 'console') : notAvailable(name, 'start');
    },
    'process:stop': async ({ name }) => {
      const info = byName(name);
      if (!info) throw new Error(`unknown process '${name}'`);
      return info.stopCommand ? node.execute(info.stopCommand, 'console') : notAvailable(name, 'stop');
    },
    'tsd:query': (request) => queryTsd(node, request),
    'tsd:lineage': ({ id }) => tsdLineage(node, id),
    'errors:list': () => listErrors(node),
    'errors:read': ({ file }) => readError(node, file),
    'errors:replay': ({ file, content }) => replayError(node, file, content),
    'errors:delete': ({ file }) => deleteError(node, file),
    'archive:list': ({ path }) => listArchive(node, path),
    'archive:preview': ({ path }) => previewArchive(node, path),
    'archive:reingest-plan': ({ path }) => planReingest(node, path),
    'archive:reingest': ({ path }) => reingestArchive(node, path),
    'operator:stats': async () => node.operator.stats(),
    'policies:list': () => listPolicies(node),
    'policies:check': ({ text }) => node.metadata.check(text, false),
    'policies:insert': ({ text }) => node.metadata.check(text, true),
    'policies:delete': ({ id }) => deletePolicy(node, id),
    'topology:get': () => topology(node),
    'network:peers': () => networkView(node),
    'network:check': ({ address }) => checkPeer(node, address),
    'network:send': ({ address, command }) => sendToPeer(node, address, command),
  };
}

const FILES_EVENT_MS = 250;

/** Forwards the node's events as contract push events; returns the unsubscribe function. */
export function subscribeEvents(
  node: EdgeNode,
  send: <E extends PushEventName>(event: E, payload: PushEvents[E]) => void,
): () => void {
  const onProcesses = (list: PushEvents['processes:changed']) => send('processes:changed', list);
  const onOutput = (text: string) => send('node:output', { text });
  const onSample = (sample: PushEvents['operator:sample']) => send('operator:sample', sample);
  // Files are gathered over a quarter second: an operator taking thousands of files a second sends the console a
  // few messages, not thousands.
  let finished: PushEvents['operator:files'] = [];
  let flush: NodeJS.Timeout | undefined;
  const onFile = (outcome: PushEvents['operator:files'][number]) => {
    finished.push(outcome);
    flush ??= setTimeout(() => {
      flush = undefined;
      const batch = finished;
      finished = [];
      send('operator:files', batch);
    }, FILES_EVENT_MS);
  };
  node.on('processes:changed', onProcesses);
  node.on('output', onOutput);
  node.on('operator:sample', onSample);
  node.on('operator:file', onFile);
  const onPolicies = () => void node.metadata.ledger.all().then((list) => send('policies:changed', { count: list.length }), () => undefined);
  node.metadata.ledger.on('changed', onPolicies);
  return () => {
    node.metadata.ledger.off('changed', onPolicies);
    node.off('processes:changed', onProcesses);
    node.off('output', onOutput);
    node.off('operator:sample', onSample);
    node.off('operator:file', onFile);
    clearTimeout(flush);
  };
}
