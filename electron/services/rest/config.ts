// The REST server's configuration, from `run rest server where ...` (rest-api.md §1; cmd/member_cmd.py
// `_run_rest_server`, tcpip/net_utils.py `add_connection`, `get_connection_info`): external and internal
// addresses stand in for each other when one is missing; timeout 20 s, 5 threads, bind false (all interfaces at
// the internal port). Frozen once the server runs, except the timeout (`set rest timeout`).
// Two limits EdgeLake does not have (issue 10): max_body_size (a body past it is refused with 413 as it arrives,
// never buffered) and read_timeout (the headers, then the body, must each arrive within it: a stalled client
// is dropped instead of holding a connection, or a worker, for good).
import type { WhereOptions, WhereSchema } from '../command/types.js';
import { CommandError, Status } from '../core/status.js';

export interface RestConfig {
  readonly externalIp: string;
  readonly externalPort: number;
  readonly internalIp: string;
  readonly internalPort: number;
  /** true: listen on the internal ip only; false: on every interface at the internal port. */
  readonly bind: boolean;
  /** Seconds a request waits for its command; 0 = no limit. */
  readonly timeout: number;
  readonly threads: number;
  readonly ssl: boolean;
  /** Bytes a request body may have. */
  readonly maxBodySize: number;
  /** Seconds to receive a request's headers, and again its body. */
  readonly readTimeout: number;
}

/** 32 MB: room for the JSON data users PUT and POST, and far below what would strain the node's memory. */
export const DEFAULT_MAX_BODY_SIZE = 32 * 1024 * 1024;
export const DEFAULT_READ_TIMEOUT = 30;

export const RUN_REST_SERVER_OPTIONS: WhereSchema = {
  external_ip: { type: 'str' },
  external_port: { type: 'int' },
  internal_ip: { type: 'str' },
  internal_port: { type: 'int' },
  timeout: { type: 'int', default: 20 },
  threads: { type: 'int', default: 5 },
  ssl: { type: 'bool', default: false },
  ca_org: { type: 'str' },
  server_org: { type: 'str' },
  bind: { type: 'bool', default: false },
  max_body_size: { type: 'int.storage', default: DEFAULT_MAX_BODY_SIZE },
  read_timeout: { type: 'int', default: DEFAULT_READ_TIMEOUT },
};

/**
 * The Start button of the console's Processes panel: loopback only, EdgeLake's usual REST port.
 * bind = true keeps the server off the machine's other interfaces until the user asks for more.
 */
export const DEFAULT_REST_START =
  'run rest server where external_ip = 127.0.0.1 and external_port = 32149 and internal_ip = 127.0.0.1 and internal_port = 32149 and bind = true and timeout = 20';

function structure(detail: string): CommandError {
  return new CommandError(Status.COMMAND_STRUCT, detail);
}

function port(key: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = value as number;
  // 0 asks the system for a free port (the port actually bound is then reported everywhere).
  if (n < 0 || n > 65535) throw structure(`${key} = ${n} is not a port number (0-65535)`);
  return n;
}

/** Validates the options of `run rest server` into a config. */
export function configFromOptions(o: WhereOptions): RestConfig {
  const internalIp0 = (o.internal_ip as string | undefined) ?? '';
  const internalPort0 = port('internal_port', o.internal_port);
  const externalIp = (o.external_ip as string | undefined) || internalIp0;
  const externalPort = port('external_port', o.external_port) ?? internalPort0;
  const internalIp = internalIp0 || externalIp;
  const internalPort = internalPort0 ?? externalPort;
  if (!externalIp) throw structure("run rest server needs an address: 'external_ip = <ip>' or 'internal_ip = <ip>'");
  if (externalPort === undefined || internalPort === undefined) {
    throw structure("run rest server needs a port: 'external_port = <port>' or 'internal_port = <port>'");
  }
  const timeout = o.timeout as number;
  if (timeout < 0) throw structure(`timeout = ${timeout} is negative (seconds; 0 = no limit)`);
  const threads = o.threads as number;
  if (threads < 1 || threads > 1000) throw structure(`threads = ${threads} is out of range (1-1000)`);
  // Defaults again here: callers that build options by hand (tests, tools) may leave the limits out.
  const maxBodySize = (o.max_body_size as number | undefined) ?? DEFAULT_MAX_BODY_SIZE;
  if (maxBodySize < 1) throw structure(`max_body_size = ${maxBodySize} is too small (bytes, or a size such as '32MB')`);
  const readTimeout = (o.read_timeout as number | undefined) ?? DEFAULT_READ_TIMEOUT;
  if (readTimeout < 1 || readTimeout > 3600) throw structure(`read_timeout = ${readTimeout} is out of range (1-3600 seconds)`);
  if (o.ssl === true) {
    // TLS needs the node's certificates (ca_org / server_org key files), which this node does not manage yet.
    throw new CommandError(
      Status.PROCESS_FAILURE,
      'ssl = true is not available yet: this node has no certificates configured (ca_org, server_org); start the REST server without ssl',
    );
  }
  return { externalIp, externalPort, internalIp, internalPort, bind: o.bind as boolean, timeout, threads, ssl: false, maxBodySize, readTimeout };
}

/** The config with the port the system chose when 0 was asked. */
export function withBoundPort(config: RestConfig, bound: number): RestConfig {
  if (config.internalPort !== 0) return config;
  return { ...config, internalPort: bound, externalPort: config.externalPort === 0 ? bound : config.externalPort };
}

export interface RestAddresses {
  external: string;
  internal: string;
  bind: string;
}

/** The three addresses of `get connections`; EdgeLake reports the bind address for all three when bind = true. */
export function addressesOf(c: RestConfig): RestAddresses {
  const internal = `${c.internalIp}:${c.internalPort}`;
  if (c.bind) return { external: internal, internal, bind: internal };
  return { external: `${c.externalIp}:${c.externalPort}`, internal, bind: `0.0.0.0:${c.internalPort}` };
}

/** The Details column of `get processes`. */
export function processDetails(c: RestConfig): string {
  const a = addressesOf(c);
  const listening = a.internal === a.external ? a.external : `${a.external} and ${a.internal}`;
  return `Listening on: ${listening}, Threads Pool: ${c.threads}, Timeout: ${c.timeout}, SSL: ${c.ssl ? 'True' : 'False'}`;
}

/** A byte count as people write it: `32 MB`, `1.5 KB`, `512 bytes` (the units of `max_body_size`, ×1024). */
export function sizeText(bytes: number): string {
  const units = ['TB', 'GB', 'MB', 'KB'] as const;
  for (let i = 0; i < units.length; i++) {
    const unit = 1024 ** (units.length - i);
    if (bytes >= unit) return `${Number((bytes / unit).toFixed(1))} ${units[i]}`;
  }
  return `${bytes} bytes`;
}

/** `http://<internal ip>:<internal port>`: the server's own address (`get rest calls`, `get rest server info`). */
export function connectionUrl(c: RestConfig): string {
  return `http://${c.internalIp}:${c.internalPort}`;
}
