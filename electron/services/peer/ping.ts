// Which peers answer (EdgeLake's metadata ping, dbms/ha.py metadata_ping/metadata_pong and member_cmd.py
// `set servers ping`): a peer that a message could not reach is marked not responding; the system scheduler runs
// `set servers ping` every minute, which sends `event metadata_ping` to each of them; a node answers a ping with
// `event metadata_pong`, and a pong marks its sender active again. EdgeLake nodes ping ours the same way, so an
// unanswered ping would leave our node "not responding" in their metadata.
import type { CommandSpec } from '../command/types.js';
import type { Block } from './codec.js';
import type { IncomingMessage } from './transport.js';

export interface PingHost {
  route(route: { words: string; owner: string }, handler: (message: IncomingMessage, first: Block) => Promise<void>): () => void;
  send(destination: string, wire: string): Promise<void>;
  running: boolean;
}

export class PeerStatus {
  private readonly status = new Map<string, { active: boolean; since: number }>();

  constructor(private readonly host: PingHost) {
    host.route({ words: 'event metadata_ping', owner: 'metadata ping' }, async (message, first) => {
      const from = `${first.header.ip === '0.0.0.0' ? message.remoteIp : first.header.ip}:${first.header.port}`;
      await host.send(from, 'event metadata_pong').catch(() => this.mark(from, false));
    });
    host.route({ words: 'event metadata_pong', owner: 'metadata ping' }, async (message, first) => {
      this.mark(`${first.header.ip === '0.0.0.0' ? message.remoteIp : first.header.ip}:${first.header.port}`, true);
    });
  }

  /** Records whether a peer answered (a message reached it, or it could not be reached). */
  mark(address: string, active: boolean): void {
    const now = this.status.get(address);
    if (!now || now.active !== active) this.status.set(address, { active, since: Date.now() });
  }

  /** Peers that did not answer, for `set servers ping`. */
  notResponding(): string[] {
    return [...this.status].filter(([, s]) => !s.active).map(([a]) => a);
  }

  isActive(address: string): boolean | undefined {
    return this.status.get(address)?.active;
  }

  commands(): CommandSpec[] {
    return [
      {
        key: 'set servers ping',
        usage: 'set servers ping',
        help: 'Sends a ping to the peers that did not answer; those that answer are active again (the system scheduler runs it every minute).',
        keyOnly: true,
        run: async () => {
          if (!this.host.running) return { code: 0 };
          for (const address of this.notResponding()) await this.host.send(address, 'event metadata_ping').catch(() => undefined);
          return { code: 0 };
        },
      },
    ];
  }
}
