// One face for every service of a node (issue 11): a name, the commands it adds to the command table, and stop().
// node.ts composes a node from one list of services — commands are registered from that list only — and stops
// them in reverse order. Starting is a command (`run rest server where ...`, `run operator where ...`), and a
// running service registers itself in the process registry (core/processes.ts) for `get processes`.
//
// stop() releases everything the service opened (sockets, watchers, timers, workers, db handles; a service keeps
// them in a DisposableStore or closes them itself), may be called at any time, and is idempotent.
import type { CommandSpec } from './types.js';

export interface NodeService {
  /** A short name for diagnostics (`rest`, `peer`, `operator` ...). */
  readonly name: string;
  /** The commands this service adds (asked once, when the node is composed). */
  commands(): CommandSpec[];
  stop(): Promise<void>;
}

/** A group of commands with nothing to stop (node information, tsd commands, partitions). */
export function commandGroup(name: string, commands: () => CommandSpec[]): NodeService {
  return { name, commands, stop: async () => undefined };
}
