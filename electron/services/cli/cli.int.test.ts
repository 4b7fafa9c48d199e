// The `edgelake-node` program as a user runs it: stdin commands, --script, --console, SIGTERM, end of input.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const root = new URL('../../..', import.meta.url).pathname;
const entry = join(root, 'electron/services/cli/main.ts');

function startCli(args: string[]): { child: ChildProcessWithoutNullStreams; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: root, env: { ...process.env, EDGELAKE_HOME: '' } });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exit };
}

async function waitFor(pred: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('commands piped on standard input run in order and exit node ends the program with code 0', async () => {
  const home = await mkdtemp(join(tmpdir(), 'edgelake-cli-'));
  const cli = startCli(['--home', home, '--no-console']);
  cli.child.stdin.end('a = 5\nprint !a\nget status\nexit node\n');
  assert.equal(await cli.exit, 0, cli.output());
  assert.match(cli.output(), /"5"/);
  assert.match(cli.output(), /AnyLog@[\d.]+ running/);
  await rm(home, { recursive: true, force: true });
});

test('--script runs a file of commands on start, with comments and <...> blocks', async () => {
  const home = await mkdtemp(join(tmpdir(), 'edgelake-cli-'));
  const script = join(home, 'start.al');
  await writeFile(script, '# start-up script\nset node name scripted\n<print from\n   a block>\n');
  const cli = startCli(['--home', home, '--no-console', '--script', script]);
  cli.child.stdin.end('get status\nexit node\n');
  assert.equal(await cli.exit, 0, cli.output());
  assert.match(cli.output(), /"from a block"/);
  assert.match(cli.output(), /scripted@[\d.]+ running/);
  await rm(home, { recursive: true, force: true });
});

test('with the console on, end of input keeps the node running and SIGTERM stops it cleanly', async () => {
  const home = await mkdtemp(join(tmpdir(), 'edgelake-cli-'));
  const cli = startCli(['--home', home, '--console', '0']);
  await waitFor(() => /EdgeLake console: http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}/.test(cli.output()), 'the console URL with its token');
  cli.child.stdin.end();
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(cli.child.exitCode, null, 'still running after end of input');
  const url = /EdgeLake console: (http:\/\/\S+)/.exec(cli.output())![1]!;
  const page = await fetch(url);
  assert.equal(page.status, 200);
  const bare = new URL(url);
  bare.search = '';
  assert.equal((await fetch(bare)).status, 401, 'the printed token is required');
  cli.child.kill('SIGTERM');
  assert.equal(await cli.exit, 0, cli.output());
  await rm(home, { recursive: true, force: true });
});

test('an unknown option is refused with the usage text and exit code 2', async () => {
  const cli = startCli(['--bogus']);
  cli.child.stdin.end();
  assert.equal(await cli.exit, 2);
  assert.match(cli.output(), /unknown option '--bogus'/);
  assert.match(cli.output(), /Usage: edgelake-node/);
});

test('the built program (dist/) runs the operator on its bundled ingestion worker', async () => {
  const home = await mkdtemp(join(tmpdir(), 'edgelake-cli-'));
  const base = join(home, 'EdgeLake');
  const { mkdir, readdir } = await import('node:fs/promises');
  await mkdir(join(base, 'blockchain'), { recursive: true });
  await mkdir(join(base, 'data', 'watch'), { recursive: true });
  await writeFile(join(base, 'blockchain', 'blockchain.json'), '{"operator": {"name": "o", "company": "c", "ip": "127.0.0.1", "port": 32048, "cluster": "c1", "id": "clipolicy", "member": 4}}\n');
  await writeFile(join(base, 'data', 'watch', 'test.built.json'), '{"value": 1}\n{"value": 2}\n');
  const child = spawn(process.execPath, [join(root, 'bin/edgelake-node.cjs'), '--home', home, '--no-console'], { cwd: root, env: { ...process.env, EDGELAKE_HOME: '' } });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  child.stdin.write('create work directories\nconnect dbms almgm where type = sqlite\nconnect dbms test where type = sqlite\ncreate table tsd_info where dbms = almgm\nrun operator where policy = clipolicy and update_tsd_info = true and threads = 2\n');
  const watch = join(base, 'data', 'watch');
  const end = Date.now() + 20_000;
  while ((await readdir(watch)).length > 0) {
    if (Date.now() > end) throw new Error(`the file was not ingested: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  child.stdin.end('sql test format = json and stat = false "select sum(value) as total from built"\nexit node\n');
  assert.equal(await exit, 0, out);
  assert.match(out, /"total": ?3/);
  await rm(home, { recursive: true, force: true });
});
