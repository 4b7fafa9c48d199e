// `run tcp server` options (peer-protocol.md §3): the addresses the node listens on and is known by.
import type { WhereOptions, WhereSchema } from '../command/types.js';
import { CommandError, Status } from '../core/status.js';

export interface TcpConfig {
  externalIp: string;
  externalPort: number;
  internalIp: string;
  internalPort: number;
  bind: boolean;
  threads: number;
}

export const RUN_TCP_SERVER_OPTIONS: WhereSchema = {
  external_ip: { type: 'str' },
  external_port: { type: 'int' },
  internal_ip: { type: 'str' },
  internal_port: { type: 'int' },
  bind: { type: 'bool', default: false },
  threads: { type: 'int', default: 6 },
};

export function tcpConfig(o: WhereOptions): TcpConfig {
  const internalIp = ((o.internal_ip as string | undefined) || (o.external_ip as string | undefined)) ?? '';
  const externalIp = ((o.external_ip as string | undefined) || internalIp) ?? '';
  const internalPort = (o.internal_port as number | undefined) ?? (o.external_port as number | undefined);
  const externalPort = (o.external_port as number | undefined) ?? internalPort;
  if (!internalIp) throw new CommandError(Status.COMMAND_STRUCT, "run tcp server needs an address: 'external_ip = <ip>' or 'internal_ip = <ip>'");
  if (internalPort === undefined || externalPort === undefined) throw new CommandError(Status.COMMAND_STRUCT, "run tcp server needs a port: 'external_port = <port>' or 'internal_port = <port>'");
  for (const p of [internalPort, externalPort]) if (p < 1 || p > 65535) throw new CommandError(Status.COMMAND_STRUCT, `port ${p} is out of range (1-65535)`);
  return { externalIp, externalPort, internalIp, internalPort, bind: o.bind as boolean, threads: o.threads as number };
}

/** peer-protocol.md §3.4: loopback and private ranges get the local address, others the external one. */
export function isLocalNetwork(ip: string): boolean {
  if (/^(10|127)\./.test(ip) || ip.startsWith('192.168.')) return true;
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return (a === 172 && b >= 16 && b <= 31) || (a === 100 && b >= 64 && b <= 127);
}

