// The Network panel's handlers: the peers the ledger knows, a real round trip to one, a command sent to one.
import type { CommandReply, NetworkView, PeerCheck } from '../../../shared/types.js';
import { bodyOf, typeOf } from '../metadata/ledger.js';
import { valueText } from '../metadata/query.js';
import type { EdgeNode } from '../node.js';

const NODE_TYPES = new Set(['operator', 'master', 'query', 'publisher']);

export async function networkView(node: EdgeNode): Promise<NetworkView> {
  const tcp = node.peer.endpoint();
  const policies = await node.metadata.ledger.all();
  const peers = policies
    .filter((p) => NODE_TYPES.has(typeOf(p)))
    .map((p) => {
      const b = bodyOf(p);
      const address = `${valueText(b.ip)}:${valueText(b.port)}`;
      return { type: typeOf(p), name: valueText(b.name), company: valueText(b.company), address, id: valueText(b.id), self: tcp !== undefined && (address === tcp.external || address === tcp.internal) };
    });
  return { tcp, peers };
}

export async function checkPeer(node: EdgeNode, address: string): Promise<PeerCheck> {
  return { address, ...(await node.peer.ping(address)) };
}

export function sendToPeer(node: EdgeNode, address: string, command: string): Promise<CommandReply> {
  return node.execute(`run client ${address} ${command}`, 'console');
}
