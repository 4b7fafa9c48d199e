// The console's view of a node (issue 11): structured calls, no command text parsed. The contract's handlers
// (handlers.ts) call a NodeLink and nothing else, so every panel works against any node that implements it: the
// embedded node in process (embedded-link.ts), and next a remote node — ours or Python EdgeLake — over its REST
// API, where a call the remote cannot serve (say the archive preview of a Python node) answers "unavailable".
import type { Handlers, PushEventName, PushEvents } from '../../../shared/contract.js';
import type { CommandReply, NodeInfo, ProcessInfo } from '../../../shared/types.js';

type Call<C extends keyof Handlers> = Handlers[C];

export type PushSender = <E extends PushEventName>(event: E, payload: PushEvents[E]) => void;

export interface NodeLink {
  /** Runs a command as the console does. */
  execute(command: string): Promise<CommandReply>;
  processes(): Promise<ProcessInfo[]>;
  info(): Promise<NodeInfo>;
  tsd: { query: Call<'tsd:query'>; lineage: Call<'tsd:lineage'> };
  errors: { list: Call<'errors:list'>; read: Call<'errors:read'>; replay: Call<'errors:replay'>; remove: Call<'errors:delete'> };
  archive: { list: Call<'archive:list'>; preview: Call<'archive:preview'>; plan: Call<'archive:reingest-plan'>; reingest: Call<'archive:reingest'> };
  operatorStats: Call<'operator:stats'>;
  policies: { list: Call<'policies:list'>; check: Call<'policies:check'>; insert: Call<'policies:insert'>; remove: Call<'policies:delete'>; topology: Call<'topology:get'> };
  network: { peers: Call<'network:peers'>; check: Call<'network:check'>; send: Call<'network:send'> };
  /** The node's push events, as the contract names them; returns the unsubscribe function. */
  subscribe(send: PushSender): () => void;
}
