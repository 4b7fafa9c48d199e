// The node's logs and the script-support settings EdgeLake's deployment scripts set on start (main.al):
// get/reset event log and error log, set echo queue on|off and get echo queue, trace level = n, set exception
// traceback on|off, file test <path>, set anylog home <path>. Outputs as EdgeLake 1.4.2604 prints them.
import { accessSync, constants, statSync } from 'node:fs';
import { tableResult } from '../command/results.js';
import type { CommandResult, CommandSpec, DictionaryApi } from '../command/types.js';
import type { NodeLog } from '../core/node-log.js';
import { CommandError, Status } from '../core/status.js';
import { defaultDictionary } from './defaults.js';

export interface LogCommandsDeps {
  log: NodeLog;
  dictionary: DictionaryApi;
}

const OK: CommandResult = { code: 0 };
const structure = (detail: string) => new CommandError(Status.COMMAND_STRUCT, detail);
const onOff = (word: string | undefined, what: string): boolean => {
  if (word === 'on' || word === 'true') return true;
  if (word === 'off' || word === 'false') return false;
  throw structure(`${what}: expected 'on' or 'off', got '${word ?? ''}'`);
};

/** `2026-12-06 05:32:36.180733`: Python's str(datetime.now()). */
function pyDateTime(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds() * 1000, 6)}`;
}

/** A directory that exists and this process may write (EdgeLake's test_dir_writeable). */
function writableDirectory(path: string): boolean {
  try {
    if (!statSync(path).isDirectory()) return false;
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export function logCommands(deps: LogCommandsDeps): CommandSpec[] {
  const logTable = (which: 'event' | 'error') => tableResult(['ID', 'Count', 'Thread', 'Time', 'Type', 'Text'], deps.log.list(which).map((e) => [e.id, e.count, e.thread, e.time, e.type, e.text]));
  return [
    ...(['event', 'error'] as const).flatMap((which): CommandSpec[] => [
      {
        key: `get ${which} log`,
        usage: `get ${which} log where format = [table/json]`,
        help: `The node's ${which} log: the last ${which === 'event' ? 100 : 20} entries, repeated ones counted.`,
        maxArgs: 0,
        where: { format: { type: 'format', default: 'table' } },
        run: () => logTable(which),
      },
      {
        key: `reset ${which} log`,
        usage: `reset ${which} log`,
        help: `Empties the ${which} log.`,
        keyOnly: true,
        run: () => {
          deps.log.reset(which);
          return OK;
        },
      },
    ]),
    {
      key: 'set echo queue',
      usage: 'set echo queue [on/off]',
      help: "With 'on', echo messages (the node's own and its peers') wait in a queue for 'get echo queue' instead of being printed.",
      minArgs: 1,
      maxArgs: 1,
      run: (_c, inv) => {
        deps.log.setEchoQueue(onOff(inv.args[0], 'set echo queue'));
        return OK;
      },
    },
    {
      key: 'get echo queue',
      usage: 'get echo queue',
      help: 'The echo messages queued since set echo queue on.',
      keyOnly: true,
      run: () => {
        const rows = deps.log.echoQueue().map((e, i) => [i + 1, pyDateTime(e.time), e.text]);
        return tableResult(['Counter', 'Time', 'Message'], rows, { header: 'Message Queue:' });
      },
    },
    {
      key: 'trace level',
      usage: 'trace level = [0-3]',
      help: 'Above 0, the node prints each command it runs with its outcome (0 stops it).',
      raw: true,
      run: (_c, inv) => {
        const [eq, level] = inv.tokens;
        const n = Number(level?.text);
        if (eq?.text !== '=' || !Number.isInteger(n) || n < 0 || n > 3 || inv.tokens.length !== 2) throw structure("usage: trace level = [0-3]");
        deps.log.traceLevel = n;
        return OK;
      },
    },
    {
      key: 'set exception traceback',
      usage: 'set exception traceback [on/off]',
      help: "With 'on', an internal failure's message carries the place in the code where it happened.",
      minArgs: 1,
      maxArgs: 1,
      run: (_c, inv) => {
        deps.log.traceback = onOff(inv.args[0], 'set exception traceback');
        return OK;
      },
    },
    {
      key: 'file test',
      usage: 'file test [path and file name]',
      help: 'True if the file or directory exists, else False.',
      minArgs: 1,
      maxArgs: 1,
      run: (_c, inv) => {
        let exists = true;
        try {
          statSync(inv.args[0]!);
        } catch {
          exists = false;
        }
        return { code: 0, output: { kind: 'text', text: exists ? 'True' : 'False' } };
      },
    },
    {
      key: 'set anylog home',
      usage: 'set anylog home [path to AnyLog root]',
      help: 'Moves the node\'s work directories (watch, archive, dbms, blockchain ...) under <path>/EdgeLake; create them with create work directories.',
      minArgs: 1,
      maxArgs: 1,
      run: (_c, inv) => {
        const root = inv.args[0]!.replace(/[/\\]+$/, '') || '/';
        if (!writableDirectory(root)) {
          deps.log.add('Error', `Configuration error: AnyLog home path contains missing or unwritable directories: ${root}`);
          throw new CommandError(Status.DIRECTORY_NOT_WRITEABLE, `Configuration error: AnyLog home path contains missing or unwritable directories: ${root}`);
        }
        const paths = defaultDictionary({ home: root, ip: '0.0.0.0' }).filter(([k]) => k === 'edgelake_path' || k.endsWith('_dir') || k.startsWith('blockchain_') || k === 'local_scripts');
        for (const [key, value] of paths) deps.dictionary.set(key, value);
        return OK;
      },
    },
  ];
}
