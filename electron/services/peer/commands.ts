// The peer network's commands: `run tcp server`, `exit tcp server`, `run client`, `get tcp pool`. They see the
// service through the narrow PeerCommandsHost (no import of service.ts, which imports this file).
import { positional } from '../command/where.js';
import { resultText } from '../command/render.js';
import type { CommandResult, CommandSpec } from '../command/types.js';
import { CommandError, Status } from '../core/status.js';
import { RUN_TCP_SERVER_OPTIONS, tcpConfig, type TcpConfig } from './config.js';
import { wireCommand } from './wire-text.js';
import { busyFlags, poolSummary } from '../command/format/pool.js';

export interface PeerCommandsHost {
  start(config: TcpConfig): Promise<void>;
  stop(): Promise<void>;
  address(): string | undefined;
  activity(): { connections: number; messages: number; dropped: number; busy: number };
  runClient(destinations: string[], wire: string, timeoutMs: number): Promise<CommandResult>;
  resolveWord(word: string): string | undefined;
}

export function peerCommands(peer: PeerCommandsHost): CommandSpec[] {
  const text = (t: string): CommandResult => ({ code: 0, output: { kind: 'text', text: t } });
  return [
    {
      key: 'run tcp server',
      usage: 'run tcp server where external_ip = [ip] and external_port = [port] and internal_ip = [local_ip] and internal_port = [local_port] and bind = [true/false] and threads = [threads count]',
      help: 'Starts the peer listener: the node joins the network (run client, replies, metadata sync).',
      maxArgs: 2,
      where: RUN_TCP_SERVER_OPTIONS,
      run: async (_ctx, inv) => {
        await peer.start(tcpConfig(positional(inv.args, inv.options, 'run tcp server')));
        return { code: 0 };
      },
    },
    {
      key: 'exit tcp server',
      usage: 'exit tcp server',
      help: 'Stops the peer listener.',
      keyOnly: true,
      hidden: true,
      run: async () => {
        await peer.stop();
        return { code: 0 };
      },
    },
    {
      key: 'run client',
      usage: 'run client [IP:Port or (IP:Port, IP:Port ...)] [command]',
      help: 'Runs a command on one or more peers and prints their replies: run client 10.0.0.5:32048 get status, run client (10.0.0.5:32048, 10.0.0.6:32048) get status',
      raw: true,
      run: async (ctx, inv) => {
        const [first, second, ...rest] = inv.tokens;
        if (!first) throw new CommandError(Status.COMMAND_STRUCT, 'usage: run client <ip:port | (ip:port, ...)> <command>');
        let destinations: string[];
        let commandTokens = [second, ...rest].filter((t) => t !== undefined);
        const resolve = (w: string) => peer.resolveWord(w) ?? w;
        if (/^\(\s*blockchain get /s.test(first.text)) {
          // Destinations from the ledger: run client (blockchain get operator bring.ip_port) get status
          const inner = first.text.slice(1, -1).trim();
          const listed = await ctx.execute(/ bring/.test(inner) ? inner : `${inner} bring.ip_port`, inv.source);
          if (listed.code !== 0) return listed;
          destinations = resultText(listed).split(/[,\s]+/).filter(Boolean);
          if (destinations.length === 0) throw new CommandError(Status.FAILED_TO_DETERMINE_DEST, `'${inner}' names no node`);
        } else if (/^\(.*\)$/s.test(first.text)) destinations = first.text.slice(1, -1).split(',').map((d) => resolve(d.trim())).filter(Boolean);
        else if (second && /^\d+$/.test(second.text) && !first.text.includes(':')) {
          destinations = [`${resolve(first.text)}:${second.text}`];
          commandTokens = rest;
        } else destinations = [resolve(first.text)];
        for (const d of destinations) if (!/^[^\s:]+:\d{1,5}$/.test(d)) throw new CommandError(Status.COMMAND_STRUCT, `'${d}' is not an ip:port destination`);
        if (commandTokens.length === 0) throw new CommandError(Status.COMMAND_STRUCT, 'run client: no command to send');
        // At the console replies usually arrive in milliseconds; a program (REST, `x = run client ...`) waits longer.
        const wait = inv.source === 'cli' || inv.source === 'console' ? 3_000 : 20_000;
        return peer.runClient(destinations, wireCommand(commandTokens, (w) => peer.resolveWord(w)), wait);
      },
    },
    {
      key: 'get tcp pool',
      usage: 'get tcp pool',
      help: 'The TCP server workers.',
      keyOnly: true,
      run: () => {
        if (!peer.address()) return text('TCP Pool is not declared');
        // EdgeLake always runs 6 TCP workers; ours handle messages as they come: the flags show how many are busy.
        const a = peer.activity();
        return text(poolSummary('TCP', busyFlags(6, a.busy), a.messages));
      },
    },
  ];
}
