// The embedded node as a NodeLink (link.ts): the console's calls served in process, from the node's services.
import type { PushEvents } from '../../../shared/contract.js';
import type { EdgeNode } from '../node.js';
import { listArchive, planReingest, previewArchive, reingestArchive } from './archive.js';
import { deleteError, listErrors, readError, replayError } from './errors.js';
import type { NodeLink, PushSender } from './link.js';
import { checkPeer, networkView, sendToPeer } from './network.js';
import { deletePolicy, listPolicies, topology } from './policies.js';
import { queryTsd, tsdLineage } from './tsd.js';

export function embeddedLink(node: EdgeNode, consoleUrl?: () => string | undefined): NodeLink {
  return {
    execute: (command) => node.execute(command, 'console'),
    processes: async () => node.processes.list(),
    info: async () => node.info(consoleUrl?.()),
    tsd: { query: (request) => queryTsd(node, request), lineage: ({ id }) => tsdLineage(node, id) },
    errors: {
      list: () => listErrors(node),
      read: ({ file }) => readError(node, file),
      replay: ({ file, content }) => replayError(node, file, content),
      remove: ({ file }) => deleteError(node, file),
    },
    archive: {
      list: ({ path }) => listArchive(node, path),
      preview: ({ path }) => previewArchive(node, path),
      plan: ({ path }) => planReingest(node, path),
      reingest: ({ path }) => reingestArchive(node, path),
    },
    operatorStats: async () => node.operator.stats(),
    policies: {
      list: () => listPolicies(node),
      check: ({ text }) => node.metadata.check(text, false),
      insert: ({ text }) => node.metadata.check(text, true),
      remove: ({ id }) => deletePolicy(node, id),
      topology: () => topology(node),
    },
    network: {
      peers: () => networkView(node),
      check: ({ address }) => checkPeer(node, address),
      send: ({ address, command }) => sendToPeer(node, address, command),
    },
    subscribe: (send) => subscribeNode(node, send),
  };
}

const FILES_EVENT_MS = 250;

/** Forwards the node's events as contract push events; returns the unsubscribe function. */
function subscribeNode(node: EdgeNode, send: PushSender): () => void {
  const onProcesses = (list: PushEvents['processes:changed']) => send('processes:changed', list);
  const onOutput = (text: string) => send('node:output', { text });
  const onSample = (sample: PushEvents['operator:sample']) => send('operator:sample', sample);
  const onScriptLine = (line: PushEvents['script:line']) => send('script:line', line);
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
  node.on('script:line', onScriptLine);
  const onPolicies = () => void node.metadata.ledger.all().then((list) => send('policies:changed', { count: list.length }), () => undefined);
  node.metadata.ledger.on('changed', onPolicies);
  return () => {
    node.metadata.ledger.off('changed', onPolicies);
    node.off('processes:changed', onProcesses);
    node.off('output', onOutput);
    node.off('operator:sample', onSample);
    node.off('operator:file', onFile);
    node.off('script:line', onScriptLine);
    clearTimeout(flush);
  };
}
