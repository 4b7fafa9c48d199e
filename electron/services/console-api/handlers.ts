// The contract's handlers, written against a NodeLink (link.ts): the same object serves the desktop (ipcMain) and
// the headless console (WebSocket), for the embedded node or a remote one. Push events go through `subscribeEvents`.
import type { Handlers } from '../../../shared/contract.js';
import type { CommandReply } from '../../../shared/types.js';
import { Status, statusText } from '../core/status.js';
import type { NodeLink, PushSender } from './link.js';

export function createHandlers(link: NodeLink): Handlers {
  const byName = async (name: string) => {
    const info = (await link.processes()).find((p) => p.name === name);
    if (!info) throw new Error(`unknown process '${name}'`);
    return info;
  };
  const notAvailable = (name: string, what: string): CommandReply => ({
    code: Status.COMMAND_STRUCT,
    errorText: statusText(Status.COMMAND_STRUCT),
    detail: `process '${name}' has no ${what} command`,
    text: `${statusText(Status.COMMAND_STRUCT)}\r\nprocess '${name}' has no ${what} command`,
  });
  return {
    'node:execute': ({ command }) => link.execute(command),
    'node:processes': () => link.processes(),
    'node:info': () => link.info(),
    'process:start': async ({ name }) => {
      const info = await byName(name);
      return info.startCommand ? link.execute(info.startCommand) : notAvailable(name, 'start');
    },
    'process:stop': async ({ name }) => {
      const info = await byName(name);
      return info.stopCommand ? link.execute(info.stopCommand) : notAvailable(name, 'stop');
    },
    'tsd:query': link.tsd.query,
    'tsd:lineage': link.tsd.lineage,
    'errors:list': link.errors.list,
    'errors:read': link.errors.read,
    'errors:replay': link.errors.replay,
    'errors:delete': link.errors.remove,
    'archive:list': link.archive.list,
    'archive:preview': link.archive.preview,
    'archive:reingest-plan': link.archive.plan,
    'archive:reingest': link.archive.reingest,
    'operator:stats': link.operatorStats,
    'policies:list': link.policies.list,
    'policies:check': link.policies.check,
    'policies:insert': link.policies.insert,
    'policies:delete': link.policies.remove,
    'topology:get': link.policies.topology,
    'network:peers': link.network.peers,
    'network:check': link.network.check,
    'network:send': link.network.send,
  };
}

/** Forwards the node's push events to one console; returns the unsubscribe function. */
export function subscribeEvents(link: NodeLink, send: PushSender): () => void {
  return link.subscribe(send);
}
