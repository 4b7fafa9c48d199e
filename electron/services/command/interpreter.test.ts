// The command language against the real node's grammar transcripts, and the errors that must name the token.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliSections } from '../testing/transcripts.js';
import { Dictionary } from './dictionary.js';
import { createInterpreter } from './language.js';
import { renderCli } from './render.js';
import { CommandTable } from './table.js';
import type { CommandSpec } from './types.js';

function interpreter(extra: CommandSpec[] = []) {
  const table = new CommandTable();
  const printed: string[] = [];
  const dictionary = new Dictionary({ HOME: '/home/u' });
  table.registerAll([
    { key: 'get status', usage: 'get status', help: '', where: { format: { type: 'format', default: 'table' } }, maxArgs: 0, run: () => ({ code: 0, output: { kind: 'text', text: 'AnyLog@127.0.0.1:32270 running' } }) },
    ...extra,
  ]);
  const interp = createInterpreter(table, dictionary, { print: (t) => printed.push(t) });
  return { interp, dictionary, printed };
}

/** Sections of grammar.txt this node reproduces; the transcript ends with EdgeLake crashing on `print [a][b] [c]`. */
test('grammar.txt: every command prints what the real node printed (its crash aside)', async () => {
  const { interp } = interpreter();
  for (const s of cliSections('grammar.txt')) {
    if (s.command === 'print [a][b] [c]') continue; // EdgeLake crashes here; we answer with an error (below)
    if (s.command === 'from !p bring [t][name] ":" [t][v]' || s.command === 'from !p bring.json [t][name]') continue; // `from ... bring` is the metadata service's: metadata.int.test.ts replays these two
    if (s.command === 'GET STATUS') {
      assert.equal(renderCli(await interp.execute(s.command, 'cli')).split('\r\n')[0] + '\r\n', s.output);
      continue;
    }
    assert.equal(renderCli(await interp.execute(s.command, 'cli')), s.output, `> ${s.command}`);
  }
});

test("print [a][b] [c] (EdgeLake's crash) is an error naming the token and its position", async () => {
  const { interp } = interpreter();
  const r = await interp.execute('print [a][b] [c]', 'cli');
  assert.equal(r.code, 2);
  assert.equal(r.detail, "'[a][b]' at position 7 is not a list; put it in double quotes to print it");
});

test('malformed lines are errors naming what is wrong and where, never exceptions', async () => {
  const { interp } = interpreter();
  const cases: [string, RegExp][] = [
    ['print "unterminated', /Unterminated quote starting at position 7/],
    ['print (unbalanced', /Missing closing parenthesis for '\(' at position 7/],
    ['get status where formt = json', /Unknown key 'formt' at position 18; did you mean 'format'\?/],
    ['get status where format = xml', /Value 'xml' of 'format' at position 27 is not 'json' or 'table'/],
    ['get status where format', /Missing '=' after 'format' at position 18/],
    ['get status where format = json and format = table', /Multiple values to key 'format'/],
    ['get status where format = !undefined_var', /Missing dictionary definition for: '!undefined_var' at position 27/],
    ['x = python 1 +', /Incomplete python expression/],
    ['x = python __import__("os")', /Unsupported function '__import__' at position 1/],
  ];
  for (const [line, pattern] of cases) {
    const r = await interp.execute(line, 'cli');
    assert.equal(r.code, 2, line);
    assert.match(r.detail ?? '', pattern, line);
  }
  assert.equal((await interp.execute('no such command', 'cli')).code, 141);
});

test('dictionary references: typed suffixes, slices, paths, environment and !! for remote nodes', async () => {
  const { interp, dictionary } = interpreter();
  await interp.execute('name = Hello World & n = 42 & dir = /data', 'cli');
  assert.equal(dictionary.resolve('!name.name'), 'hello_world');
  assert.equal(dictionary.resolve('!name.len'), '11');
  assert.equal(dictionary.resolve('!name[0:5]'), 'Hello');
  assert.equal(dictionary.resolve('!n.int'), '42');
  assert.equal(dictionary.resolve('!dir/watch/x.json'), '/data/watch/x.json');
  assert.equal(dictionary.resolve('$HOME/x'), '/home/u/x');
  assert.equal(dictionary.resolve('!!name'), '!name');
  assert.equal(dictionary.resolve('!missing/x'), undefined);
});

test('assignments: JSON members, environment, deletion with ""', async () => {
  const { interp, dictionary } = interpreter();
  await interp.execute('obj[k1] = v1', 'cli');
  await interp.execute('obj[k2] = v2', 'cli');
  assert.deepEqual(JSON.parse(dictionary.get('obj')!), { k1: 'v1', k2: 'v2' });
  await interp.execute('$MY_VAR = abc', 'cli');
  assert.equal(dictionary.getEnv('MY_VAR'), 'abc');
  await interp.execute('set y = 3', 'cli');
  assert.equal(dictionary.get('y'), '3');
  await interp.execute('y = ""', 'cli');
  assert.equal(dictionary.get('y'), undefined);
});

test('conditions: or, and, numeric compare, startswith/endswith, case-insensitive strings', async () => {
  const { interp, dictionary } = interpreter();
  await interp.execute('a = 5 & s = Operator-O', 'cli');
  const check = async (cond: string) => (await interp.execute(`r = if ${cond}`, 'cli'), dictionary.get('r'));
  assert.equal(await check('!a.int >= 5 and !s startswith operator'), 'True');
  assert.equal(await check('!a.int > 9 or !s endswith -o'), 'True');
  assert.equal(await check('!a.int > 9 or !s == nope'), 'False');
  assert.equal(await check('!s == OPERATOR-O'), 'True');
  assert.equal(await check('(!a == 5 and !s contains tor) or !a == 1'), 'True');
});

test('a script runs with comments, <...> blocks, labels, goto and on error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'edgelake-script-'));
  const file = join(dir, 'demo.al');
  await writeFile(
    file,
    ['# demo', 'i = 0', ':loop:', 'i = python !i.int + 1', 'if !i.int < 3 then goto loop', '<print counted', '  to !i>', 'on error ignore', 'no such command', 'goto end', 'print never', ':end:', 'print done'].join('\n'),
  );
  const { interp, dictionary, printed } = interpreter();
  const r = await interp.execute(`process ${file}`, 'cli');
  assert.equal(r.code, 0, r.detail);
  assert.equal(dictionary.get('i'), '3');
  assert.deepEqual(printed.filter((p) => p.includes('"')), ['\r\n"counted to 3"\r\n\r\n', '\r\n"done"\r\n\r\n']);
  assert.ok(printed.some((p) => p.startsWith('Unrecognized Command')));
  await writeFile(file, 'print one\nno such command\nprint two\n');
  const failed = await interp.execute(`process ${file}`, 'cli');
  assert.equal(failed.code, 141);
  assert.match(failed.detail!, /demo\.al:2: 'no such command'/);
  await rm(dir, { recursive: true, force: true });
});

test('a handler that throws becomes a process failure result, not an exception', async () => {
  const { interp } = interpreter([{ key: 'boom', usage: 'boom', help: '', run: () => { throw new Error('kaput'); } }]);
  assert.deepEqual(await interp.execute('boom', 'cli'), { code: 3, detail: 'kaput' });
});

test('help lists every command and explains one; an unknown one is a clear error', async () => {
  const { interp } = interpreter();
  const all = await interp.execute('help', 'cli');
  assert.match(renderCli(all), /get status\r\n/);
  assert.match(renderCli(all), /print \[text\]/);
  assert.match(renderCli(await interp.execute('help print', 'cli')), /^Usage:\r\n\tprint \[text\]\r\n\r\nExplanation:/);
  const unknown = await interp.execute('help flying', 'cli');
  assert.equal(unknown.code, 2);
  assert.match(unknown.detail!, /No help for 'flying'/);
});

test('a table result renders as EdgeLake text on the CLI and REST, as rows for the console, and as JSON with where format = json', async () => {
  const { tableResult } = await import('./results.js');
  const { resultText, toReply } = await import('./render.js');
  const { formatTable } = await import('./format/table.js');
  const rows = [['almgm', 3], ['test', null]];
  const { interp } = interpreter([
    { key: 'get things', usage: 'get things', help: '', where: { format: { type: 'format', default: 'table' } }, maxArgs: 0, run: () => tableResult(['Name', 'Rows\nCount'], rows, { header: 'Things' }) },
    { key: 'get shaped', usage: 'get shaped', help: '', where: { format: { type: 'format', default: 'table' } }, maxArgs: 0, run: () => tableResult(['A'], [[1]], { json: { shaped: true } }) },
  ]);
  const text = await interp.execute('get things', 'cli');
  assert.equal(renderCli(text), `${formatTable(['Name', 'Rows\nCount'], rows, { header: 'Things' })}\r\n`);
  assert.equal(resultText(text), formatTable(['Name', 'Rows\nCount'], rows, { header: 'Things' }));
  assert.deepEqual(toReply(text).table, { columns: ['Name', 'Rows\nCount'], rows });
  const json = await interp.execute('get things where format = json', 'rest');
  assert.deepEqual(json.output, { kind: 'json', value: [{ Name: 'almgm', 'Rows Count': 3 }, { Name: 'test', 'Rows Count': null }] });
  assert.deepEqual((await interp.execute('get shaped where format = json', 'rest')).output, { kind: 'json', value: { shaped: true } });
});
