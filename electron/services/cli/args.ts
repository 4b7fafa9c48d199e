// Command-line options of `edgelake-node` and where the node's home is. Pure functions: tested without a process.
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface CliOptions {
  home: string;
  script?: string | undefined;
  /** Console port; undefined = no console. 0 = a free port. */
  consolePort?: number | undefined;
  consoleHost: string;
  token?: string | undefined;
  /** Read commands from standard input (default: yes unless --no-stdin). */
  stdin: boolean;
  help: boolean;
}

export const USAGE = `Usage: edgelake-node [--home DIR] [--script FILE] [--console PORT | --no-console]
                     [--console-host HOST] [--token TOKEN] [--no-stdin]

Starts an EdgeLake node without a window. Commands are read from standard input (a terminal or a pipe);
end of input does not stop a node that runs services. SIGTERM, SIGINT or 'exit node' shut it down cleanly.

  --home DIR           the node's home (EDGELAKE_HOME); default $EDGELAKE_HOME or the user's data directory
  --script FILE        run a file of commands on start (like 'process FILE')
  --console PORT       serve the console on http://127.0.0.1:PORT (0 = a free port); open the printed URL,
                       http://127.0.0.1:PORT/?token=...: the console requires its token, loopback included
  --no-console         no console (default for edgelake-node; 'npm run headless' passes --console 0)
  --console-host HOST  address the console binds (default 127.0.0.1); it answers to that name only
                       (and to 127.0.0.1, localhost and [::1] on loopback), from its own origin only
  --token TOKEN        the console's access token (generated and printed in the URL when not given)
  --no-stdin           do not read commands from standard input
`;

/** The platform's per-user data directory, as Electron's app.getPath('appData') would give it. */
export function userDataDir(env: Record<string, string | undefined>, platform: NodeJS.Platform, home = homedir()): string {
  if (platform === 'win32') return env.APPDATA ?? join(home, 'AppData', 'Roaming');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support');
  return env.XDG_DATA_HOME || join(home, '.local', 'share');
}

/** --home wins, then EDGELAKE_HOME, then <user data>/edgelake-desktop/node. */
export function resolveHome(flag: string | undefined, env: Record<string, string | undefined>, platform: NodeJS.Platform): string {
  if (flag) return flag;
  if (env.EDGELAKE_HOME) return env.EDGELAKE_HOME;
  return join(userDataDir(env, platform), 'edgelake-desktop', 'node');
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[], env: Record<string, string | undefined>, platform: NodeJS.Platform): CliOptions {
  let homeFlag: string | undefined;
  const options: Omit<CliOptions, 'home'> = { consoleHost: '127.0.0.1', stdin: true, help: false };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    switch (arg) {
      case '--home':
        homeFlag = value(i++, arg);
        break;
      case '--script':
        options.script = value(i++, arg);
        break;
      case '--console': {
        const raw = value(i++, arg);
        const port = Number(raw);
        if (!/^\d+$/.test(raw) || port > 65535) throw new UsageError(`--console takes a port number (0-65535), not '${raw}'`);
        options.consolePort = port;
        break;
      }
      case '--no-console':
        options.consolePort = undefined;
        break;
      case '--console-host':
        options.consoleHost = value(i++, arg);
        break;
      case '--token':
        options.token = value(i++, arg);
        break;
      case '--no-stdin':
        options.stdin = false;
        break;
      case '-h':
      case '--help':
        options.help = true;
        break;
      default:
        throw new UsageError(`unknown option '${arg}'`);
    }
  }
  return { ...options, home: resolveHome(homeFlag, env, platform) };
}
