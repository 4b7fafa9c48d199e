// The registry of background processes: the list `get processes` prints and the Processes panel shows.
// EdgeLake's fixed order (commands.md §9.1) comes first, then the services of the seeds that EdgeLake lacks
// (spec README, decision 2). A service registers itself under its name and reports status and details; a name
// with no registered service prints "Not declared". Changes are pushed as events, never polled.
import { EventEmitter } from 'node:events';
import type { ProcessInfo } from '../../../shared/types.js';

export const EDGELAKE_PROCESS_ORDER = [
  'TCP',
  'REST',
  'MCP',
  'Operator',
  'Blockchain Sync',
  'Scheduler',
  'Blobs Archiver',
  'MQTT',
  'MSG Client Pool',
  'MSG Broker',
  'SMTP',
  'Streamer',
  'UNS Streamer',
  'Query Pool',
  'Kafka Consumer',
  'gRPC',
  'PLC Client',
  'Pull Processes',
  'Video Processes',
] as const;

/** Seed services that EdgeLake 1.4 does not have; listed after EdgeLake's. */
export const SEED_PROCESS_ORDER = ['Publisher', 'Distributor', 'Consumer'] as const;

export const PROCESS_ORDER: readonly string[] = [...EDGELAKE_PROCESS_ORDER, ...SEED_PROCESS_ORDER];

/** Details EdgeLake prints for a process that is not declared (observed on a fresh EdgeLake 1.4.2604 node). */
const NOT_DECLARED_DETAILS: Record<string, string> = {
  TCP: 'No active connection',
  'MSG Broker': 'No active connection',
  gRPC: 'gRPC library not installed',
};

export interface ProcessProvider {
  /** true while the service runs. */
  running(): boolean;
  /** The Details column, '' when there is nothing to say. */
  details(): string;
  /** The command that stops it, for the console's Stop button (e.g. 'exit rest'). */
  readonly stopCommand?: string;
  /** A command that starts it with defaults, for the console's Start button. */
  readonly startCommand?: string;
  /** What it is doing now, for the console only (not part of `get processes`): e.g. the TCP server's connections. */
  activity?(): string;
}

export interface ProcessRegistryEvents {
  change: [ProcessInfo[]];
}

export class ProcessRegistry extends EventEmitter<ProcessRegistryEvents> {
  private readonly providers = new Map<string, ProcessProvider>();
  private readonly startCommands = new Map<string, string>();

  /** Registers the service behind a process name; returns a function that unregisters it. */
  register(name: string, provider: ProcessProvider): () => void {
    if (!PROCESS_ORDER.includes(name)) throw new Error(`unknown process name '${name}'`);
    this.providers.set(name, provider);
    this.changed();
    return () => {
      if (this.providers.get(name) === provider) {
        this.providers.delete(name);
        this.changed();
      }
    };
  }

  /** A default start command for a process that is not running yet (shown as the panel's Start button). */
  setStartCommand(name: string, command: string): void {
    this.startCommands.set(name, command);
  }

  /** Services call this whenever their status or details change. */
  changed(): void {
    this.emit('change', this.list());
  }

  list(): ProcessInfo[] {
    return PROCESS_ORDER.map((name) => {
      const provider = this.providers.get(name);
      const running = provider?.running() ?? false;
      const details = provider ? provider.details() : (NOT_DECLARED_DETAILS[name] ?? '');
      return {
        name,
        status: running ? 'Running' : 'Not declared',
        details,
        edgelake: (EDGELAKE_PROCESS_ORDER as readonly string[]).includes(name),
        startCommand: running ? undefined : (provider?.startCommand ?? this.startCommands.get(name)),
        stopCommand: running ? provider?.stopCommand : undefined,
        activity: running ? provider?.activity?.() : undefined,
      };
    });
  }
}
