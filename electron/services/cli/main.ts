// `edgelake-node`: a node without a window. Starts the engine, optionally the console (headless mode), runs
// --script, then reads commands from standard input like EdgeLake's CLI (prompt `EL <name> >` on a terminal).
// End of input does not stop a node that runs services; SIGTERM/SIGINT and `exit node` stop it cleanly.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { HeadlessConsole } from '../headless/server.js';
import { EdgeNode } from '../node.js';
import { parseArgs, USAGE, UsageError, type CliOptions } from './args.js';
import { BlockAccumulator } from './block-accumulator.js';

/** The built console: EDGELAKE_CONSOLE_DIR, else dist/renderer found walking up from the running entry file
 * (dist/node/cli.cjs when installed, electron/services/cli/main.ts under tsx). */
function defaultStaticDir(): string {
  if (process.env.EDGELAKE_CONSOLE_DIR) return process.env.EDGELAKE_CONSOLE_DIR;
  let dir = dirname(process.argv[1] ? realpathSync(process.argv[1]) : join(process.cwd(), 'x'));
  for (let i = 0; i < 5; i++) {
    for (const candidate of [join(dir, 'renderer'), join(dir, 'dist', 'renderer')]) {
      if (existsSync(join(candidate, 'index.html')) && existsSync(join(candidate, 'assets'))) return candidate;
    }
    dir = dirname(dir);
  }
  return join(process.cwd(), 'dist', 'renderer');
}

function promptFor(node: EdgeNode): string {
  const name = node.info().nodeName;
  return name === 'AnyLog' ? 'EL > ' : `EL ${name} > `;
}

export async function runCli(argv: readonly string[]): Promise<number> {
  let options: CliOptions;
  try {
    options = parseArgs(argv, process.env, process.platform);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`edgelake-node: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  const node = new EdgeNode({ home: resolve(options.home) });
  await node.start();
  node.on('output', (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`));
  process.stdout.write(`EdgeLake node home: ${node.home}\n`);

  const consoleServer = options.consolePort === undefined ? undefined : new HeadlessConsole();
  if (consoleServer) {
    const url = await consoleServer.start({
      node,
      host: options.consoleHost,
      port: options.consolePort!,
      token: options.token,
      staticDir: defaultStaticDir(),
    });
    process.stdout.write(`EdgeLake console: ${url}\n`);
  }

  let finished!: () => void;
  const done = new Promise<void>((r) => (finished = r));
  let shuttingDown = false;
  const shutdown = async () => {
    if (shuttingDown) return;
    shuttingDown = true;
    await consoleServer?.stop();
    await node.stop();
    finished();
  };
  node.once('stopped', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());

  const run = async (command: string) => {
    const reply = await node.execute(command, 'cli');
    if (reply.text) process.stdout.write(reply.text.endsWith('\n') ? reply.text : `${reply.text}\n`);
  };

  if (options.script) await run(`process ${options.script}`);

  if (options.stdin && !shuttingDown) {
    const interactive = Boolean(process.stdin.isTTY);
    const rl = createInterface({ input: process.stdin, output: interactive ? process.stdout : undefined, terminal: interactive });
    const blocks = new BlockAccumulator();
    if (interactive) {
      rl.setPrompt(promptFor(node));
      rl.prompt();
    }
    // Commands run one after the other, in input order, even when they arrive faster than they complete.
    let queue = Promise.resolve();
    rl.on('line', (line) => {
      const command = blocks.push(line);
      queue = queue.then(async () => {
        if (command !== undefined && !shuttingDown) await run(command);
        if (interactive && !shuttingDown) {
          rl.setPrompt(promptFor(node));
          rl.prompt();
        }
      });
    });
    rl.on('close', () => {
      void queue.then(() => {
        // End of input: a node that serves nothing has nothing left to do.
        const serving = consoleServer !== undefined || node.processes.list().some((p) => p.status === 'Running');
        if (!serving) void shutdown();
      });
    });
    node.once('stopped', () => rl.close());
  } else if (consoleServer === undefined && !node.processes.list().some((p) => p.status === 'Running')) {
    await shutdown();
  }

  await done;
  return 0;
}

// Entry point when bundled as dist/node/cli.cjs (required by bin/edgelake-node.cjs).
if (process.env.EDGELAKE_CLI_NO_AUTORUN !== '1') {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`edgelake-node: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
