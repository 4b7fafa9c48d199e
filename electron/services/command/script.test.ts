// Script control as EdgeLake's script loop runs it (member_cmd.py process_script, _process_if, _process_do_else),
// with the constructs EdgeLake's deployment scripts use: on error call / return, if ... then with do lines and
// <do ...> blocks, else if, exit scripts across a chain of scripts, goto, and x = <command> semantics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Dictionary } from './dictionary.js';
import { createInterpreter } from './language.js';
import { CommandTable } from './table.js';
import type { CommandSpec } from './types.js';

function node(files: Record<string, string>) {
  const table = new CommandTable();
  const dictionary = new Dictionary({ TRACE_LEVEL: '2' });
  const printed: string[] = [];
  const ran: string[] = [];
  const extra: CommandSpec[] = [
    { key: 'note', usage: 'note [text]', help: '', raw: true, run: (_c, inv) => (ran.push(inv.tokens.map((t) => t.text).join(' ')), { code: 0 }) },
    { key: 'fail now', usage: 'fail now', help: '', keyOnly: true, run: () => (ran.push('fail'), { code: 3, detail: 'it failed' }) },
  ];
  table.registerAll(extra);
  const interp = createInterpreter(table, dictionary, { print: (t) => printed.push(t), readFile: async (p) => files[p] ?? Promise.reject(new Error('no such file')) });
  return { interp, dictionary, ran, printed, run: (path: string) => interp.execute(`process ${path}`, 'cli') };
}

test('on error call runs the label and return comes back to the line after the failure', async () => {
  const n = node({
    'a.al': ['on error call handle', 'note one', 'fail now', 'note two', 'end script', ':handle:', 'note handling', 'return'].join('\n'),
  });
  const r = await n.run('a.al');
  assert.equal(r.code, 0, r.detail);
  assert.deepEqual(n.ran, ['one', 'fail', 'handling', 'two']);
});

test('an unrecognized command is never sent to an on error label: the script stops there (EdgeLake)', async () => {
  const n = node({ 'a.al': ['on error call handle', 'no such command here', 'note after', ':handle:', 'note handling', 'return'].join('\n') });
  const r = await n.run('a.al');
  assert.notEqual(r.code, 0);
  assert.match(r.detail!, /a\.al:2: 'no such command here'/);
  assert.deepEqual(n.ran, []);
  const ignored = node({ 'a.al': ['on error ignore', 'no such command here', 'note after'].join('\n') });
  assert.equal((await ignored.run('a.al')).code, 0);
  assert.deepEqual(ignored.ran, ['after']);
});

test('if ... then followed by do lines, <do ...> blocks, else if and else, as in main.al', async () => {
  const script = [
    'if $TRACE_LEVEL == 1 then',
    'do note level one',
    'else if $TRACE_LEVEL == 2 then',
    'do note level two',
    '<do note',
    '  block of two lines>',
    'else if $TRACE_LEVEL == 3 then',
    'do note level three',
    'if $TRACE_LEVEL == 9 then note nine',
    'else note not nine',
    'if $NOT_SET then',
    'do note never',
  ].join('\n');
  const n = node({ 'a.al': script });
  const r = await n.run('a.al');
  assert.equal(r.code, 0, r.detail);
  // 'level three' too: the true `else if ... == 2` leaves the if result true, the next `else if` is ignored and its
  // `do` line runs (the real EdgeLake 1.4.2604 node printed "two" then "three" for this script).
  assert.deepEqual(n.ran, ['level two', 'block of two lines', 'level three', 'not nine']);
});

test('a true if leaves do lines after an ignored else running (EdgeLake keeps the if result through the else)', async () => {
  const n = node({ 'a.al': ['if 1 == 1 then', 'do note first', 'else if 2 == 2 then', 'do note again'].join('\n') });
  await n.run('a.al');
  assert.deepEqual(n.ran, ['first', 'again']);
});

test('exit scripts ends the script and every script that called it; end script only the current one', async () => {
  const n = node({
    'main.al': ['note main start', 'process child.al', 'note main after child', 'process stop.al', 'note never'].join('\n'),
    'child.al': ['note child', 'end script', 'note not this'].join('\n'),
    'stop.al': ['note stopping', 'exit scripts', 'note not this either'].join('\n'),
  });
  const r = await n.run('main.al');
  assert.equal(r.code, 0, r.detail);
  assert.deepEqual(n.ran, ['main start', 'child', 'main after child', 'stopping']);
});

test('goto jumps within the file; a failing command with on error goto jumps unless already at that label', async () => {
  const n = node({ 'a.al': ['goto later', 'note skipped', ':later:', 'on error goto later', 'note at later', 'fail now'].join('\n') });
  const r = await n.run('a.al');
  // The failure happens at `later`, the error label itself: EdgeLake does not jump again, the script ends failed.
  assert.equal(r.code, 3);
  assert.deepEqual(n.ran, ['at later', 'fail']);
});

test('x = <command>: a failing or missing command leaves x unset, an empty blockchain-style list too', async () => {
  const n = node({});
  assert.notEqual((await n.interp.execute('x = file test /nowhere', 'script')).code, 0);
  assert.equal(n.dictionary.get('x'), undefined, 'not the command text');
  assert.notEqual((await n.interp.execute('y = fail now', 'script')).code, 0);
  assert.equal(n.dictionary.get('y'), undefined);
  assert.equal((await n.interp.execute('z = hello there', 'script')).code, 0, 'text that is no command is stored');
  assert.equal(n.dictionary.get('z'), 'hello there');
  n.interp.table.registerAll([{ key: 'list nothing', usage: '', help: '', keyOnly: true, run: () => ({ code: 0, output: { kind: 'json', value: [] } }) }]);
  await n.interp.execute('w = list nothing', 'script');
  assert.equal(n.dictionary.get('w'), undefined);
});
