// Golden comparisons with the real node's output (../shared/spec/transcripts), CLI bytes and REST bodies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Dictionary } from '../command/dictionary.js';
import { createInterpreter } from '../command/language.js';
import { renderCli, renderRest } from '../command/render.js';
import { CommandTable } from '../command/table.js';
import { ProcessRegistry } from '../core/processes.js';
import { cliSections, restSections } from '../testing/transcripts.js';
import { nodeCommands, type NodeInfoApi } from './commands.js';

/** A node with the transcripts' node O: name AnyLog at 127.0.0.1:32280, processes and dictionary as captured. */
function nodeO(overrides: Partial<NodeInfoApi> = {}) {
  const dictionary = new Dictionary({});
  const processes = new ProcessRegistry();
  const table = new CommandTable();
  const api: NodeInfoApi = {
    version: '1.4.2604',
    hostname: () => 'vm',
    nodeName: () => 'AnyLog',
    setNodeName: () => undefined,
    nodeAddress: () => '127.0.0.1:32280',
    processes,
    dictionary,
    env: {},
    connections: () => ({}),
    createWorkDirectories: async () => undefined,
    exitNode: () => undefined,
    ...overrides,
  };
  table.registerAll(nodeCommands(api));
  const interp = createInterpreter(table, dictionary, { print: () => undefined });
  return { interp, dictionary, processes };
}

test('get status prints as the real node, in text and JSON, on the CLI and over REST', async () => {
  const { interp } = nodeO();
  const [text, json] = cliSections('get-status.txt');
  assert.equal(renderCli(await interp.execute(text!.command, 'cli')), text!.output);
  assert.equal(renderCli(await interp.execute(json!.command, 'cli')), json!.output);
  const [restText, restJson] = restSections('get-status.txt');
  assert.equal(renderRest(await interp.execute('get status', 'rest')).body, restText!.body);
  const r = renderRest(await interp.execute('get status where format = json', 'rest'));
  assert.equal(r.body, restJson!.body);
  assert.equal(r.contentType, 'text/json');
});

test('get processes prints the registry exactly as the real node, text and JSON', async () => {
  const { interp, processes } = nodeO();
  const captured = restSections('get-processes.txt')[1]!.body;
  const expected = JSON.parse(captured) as Record<string, { Status: string; Details?: string }>;
  for (const [name, p] of Object.entries(expected)) {
    if (p.Status === 'Running') processes.register(name, { running: () => true, details: () => p.Details ?? '' });
  }
  const [cliText, cliJson] = cliSections('get-processes.txt');
  // The real node lists EdgeLake's processes only; ours appends the seed services (spec decision 2).
  const seedRows = '    Publisher      |Not declared|                                                                       |\r\n' +
    '    Distributor    |Not declared|                                                                       |\r\n' +
    '    Consumer       |Not declared|                                                                       |\r\n';
  const ours = renderCli(await interp.execute(cliText!.command, 'cli'));
  assert.equal(ours.replace(seedRows, ''), cliText!.output);
  const oursJson = renderRest(await interp.execute('get processes where format = json', 'rest')).body;
  assert.equal(oursJson.replace(/, "Publisher".*\}\}$/, '}'), captured);
  assert.ok(renderCli(await interp.execute(cliJson!.command, 'cli')).startsWith(cliJson!.output.slice(0, 400)));
});

test('get dictionary prints the table sorted by key, long values wrapped at 100 characters', async () => {
  const { interp, dictionary } = nodeO();
  const captured = JSON.parse(restSections('get-dictionary.txt')[0]!.body) as Record<string, string>;
  for (const [k, v] of Object.entries(captured)) dictionary.set(k, v);
  const [cli] = cliSections('get-dictionary.txt');
  assert.equal(renderCli(await interp.execute(cli!.command, 'cli')), cli!.output);
  assert.equal(renderRest(await interp.execute('get dictionary where format = json', 'rest')).body, restSections('get-dictionary.txt')[0]!.body);
});

test('get connections prints each service address, or Not declared', async () => {
  const ep = (port: number) => ({ external: `127.0.0.1:${port}`, internal: `127.0.0.1:${port}`, bind: `127.0.0.1:${port}` });
  const { interp } = nodeO({ connections: () => ({ tcp: ep(32280), rest: ep(32281), messaging: ep(32282) }) });
  const [cli] = cliSections('get-connections.txt');
  assert.equal(renderCli(await interp.execute(cli!.command, 'cli')), cli!.output);
  assert.equal(renderRest(await interp.execute('get connections', 'rest')).body, restSections('get-connections.txt')[0]!.body);
});

test('get version, get hostname and get node name print as the real node', async () => {
  const { interp } = nodeO();
  for (const file of ['get-version.txt', 'get-hostname.txt', 'get-node-name.txt']) {
    const [cli] = cliSections(file);
    assert.equal(renderCli(await interp.execute(cli!.command, 'cli')), cli!.output, file);
  }
});

test('set node name renames the node; a name with spaces or symbols is refused', async () => {
  let name = 'AnyLog';
  const { interp } = nodeO({ nodeName: () => name, setNodeName: (n) => (name = n) });
  assert.equal((await interp.execute('set node name op-o', 'cli')).code, 0);
  assert.equal(renderRest(await interp.execute('get status', 'rest')).body, 'op-o@127.0.0.1:32280 running');
  const bad = await interp.execute('set node name a/b', 'cli');
  assert.equal(bad.code, 2);
  assert.match(bad.detail!, /'a\/b'/);
});

test('key-only commands refuse extra words, naming the word and its position', async () => {
  const { interp } = nodeO();
  const r = await interp.execute('get version now', 'cli');
  assert.equal(r.code, 2);
  assert.match(r.detail!, /'now' at position 13/);
});
