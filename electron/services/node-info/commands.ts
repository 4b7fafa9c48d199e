// Commands about the node itself (commands.md §9.1): get status, get processes, get dictionary, get env var,
// get version, get hostname, get node name, set node name, get connections, create work directories, exit node.
// Outputs follow the transcripts of the same names.
import type { ProcessRegistry } from '../core/processes.js';
import { CommandError, Status } from '../core/status.js';
import { tableResult as table } from '../command/results.js';
import type { CommandResult, CommandSpec, DictionaryApi } from '../command/types.js';

export interface Endpoint {
  external: string;
  internal: string;
  bind: string;
}

export interface NodeInfoApi {
  version: string;
  hostname(): string;
  /** 'AnyLog' until `set node name`. */
  nodeName(): string;
  setNodeName(name: string): void;
  /** `ip:port` of the TCP server when it runs, else the node's ip (EdgeLake prints `AnyLog@192.0.2.2` then). */
  nodeAddress(): string;
  processes: ProcessRegistry;
  dictionary: DictionaryApi;
  env: Record<string, string | undefined>;
  connections(): { tcp?: Endpoint | undefined; rest?: Endpoint | undefined; messaging?: Endpoint | undefined };
  createWorkDirectories(): Promise<void>;
  exitNode(): void;
}

const FORMAT = { format: { type: 'format', default: 'table' } } as const;
const text = (t: string): CommandResult => ({ code: 0, output: { kind: 'text', text: t } });
const json = (value: unknown): CommandResult => ({ code: 0, output: { kind: 'json', value } });

export function nodeCommands(api: NodeInfoApi): CommandSpec[] {
  const assignedName = () => `${api.nodeName()}@${api.nodeAddress()}`;
  return [
    {
      key: 'get status',
      usage: 'get status where format = [table/json/mcp] and include [a key in the dictionary]',
      help: "Returns the keyword 'running' if the node is active.\nWith 'include', the values of the given dictionary variables are returned too.",
      maxArgs: 0,
      where: { ...FORMAT, include: { type: 'str', repeat: true } },
      run: (_ctx, inv) => {
        const includes = (inv.options.include as string[] | undefined) ?? [];
        if (inv.format === 'json') {
          const value: Record<string, unknown> = { assigned_name: assignedName(), status: 'running', profiling: false };
          for (const v of includes) value[v] = v;
          return json(value);
        }
        return text([`${assignedName()} running`, ...includes].join(' '));
      },
    },
    {
      key: 'get processes',
      usage: 'get processes where format = [table/json]',
      help: 'Lists the background processes of the node with their status and details.',
      maxArgs: 0,
      where: FORMAT,
      run: () => {
        const list = api.processes.list();
        const value: Record<string, { Status: string; Details?: string }> = {};
        for (const p of list) value[p.name] = p.details ? { Status: p.status, Details: p.details } : { Status: p.status };
        return table(['Process', 'Status', 'Details'], list.map((p) => [p.name, p.status, p.details]), { linePrefix: '    ', json: value });
      },
    },
    {
      key: 'get dictionary',
      usage: 'get dictionary where format = [json/table]',
      help: 'Lists the variables of the node dictionary and their values.',
      maxArgs: 0,
      where: FORMAT,
      run: () => {
        const entries = api.dictionary.entries();
        const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return table(['Key', 'Value'], sorted, { json: Object.fromEntries(entries) });
      },
    },
    {
      key: 'get env var',
      usage: 'get env var where format = [json/table]',
      help: 'Lists the environment variables of the node process.',
      maxArgs: 0,
      where: FORMAT,
      run: () => {
        const entries = Object.entries(api.env).filter((e): e is [string, string] => e[1] !== undefined);
        return table(['Key', 'Value'], [...entries].sort(([a], [b]) => (a < b ? -1 : 1)), { json: Object.fromEntries(entries) });
      },
    },
    {
      key: 'get version',
      usage: 'get version',
      help: 'Returns the EdgeLake version this node implements.',
      keyOnly: true,
      run: () => text(`EdgeLake Version: ${api.version}`),
    },
    {
      key: 'get hostname',
      usage: 'get hostname',
      help: 'Returns the host name of the machine.',
      keyOnly: true,
      run: () => text(api.hostname()),
    },
    {
      key: 'get node name',
      usage: 'get node name',
      help: "Returns the node's name: <name>@<ip>[:<port>].",
      keyOnly: true,
      run: () => text(assignedName()),
    },
    {
      key: 'set node name',
      usage: 'set node name [node name]',
      help: 'Names the node (shown in the prompt and by get status).',
      minArgs: 1,
      maxArgs: 1,
      run: (_ctx, inv) => {
        const name = inv.args[0]!;
        if (!/^[\w.-]+$/.test(name)) throw new CommandError(Status.COMMAND_STRUCT, `Node name '${name}' may hold letters, digits, '_', '-' and '.' only`);
        api.setNodeName(name);
        return { code: 0 };
      },
    },
    {
      key: 'get connections',
      usage: 'get connections where format = [table/json]',
      help: 'Lists the addresses of the TCP, REST and messaging services.',
      maxArgs: 0,
      where: FORMAT,
      run: () => {
        const c = api.connections();
        const rows: [string, Endpoint | undefined][] = [['TCP', c.tcp], ['REST', c.rest], ['Messaging', c.messaging]];
        const nd = 'Not declared';
        return table(['Type', 'External Address', 'Internal Address', 'Bind Address'], rows.map(([t, e]) => [t, e?.external ?? nd, e?.internal ?? nd, e?.bind ?? nd]), {
          // EdgeLake 1.4.2604's JSON (observed): keys external / local / bind, an object even when not declared.
          json: Object.fromEntries(rows.map(([t, e]) => [t, { external: e?.external ?? nd, local: e?.internal ?? nd, bind: e?.bind ?? nd }])),
        });
      },
    },
    {
      key: 'create work directories',
      usage: 'create work directories',
      help: 'Creates every directory of the dictionary (watch_dir, archive_dir, err_dir, ...).',
      keyOnly: true,
      run: async () => {
        await api.createWorkDirectories();
        return { code: 0 };
      },
    },
    {
      key: 'exit node',
      usage: 'exit node',
      help: 'Stops every service of the node and ends it.',
      keyOnly: true,
      run: () => {
        api.exitNode();
        return { code: 0 };
      },
    },
  ];
}
