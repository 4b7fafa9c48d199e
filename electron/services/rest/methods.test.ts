import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstWords, isCorrectMethod } from './methods.js';

const allows = (method: 'get' | 'post', command: string) => isCorrectMethod(method, firstWords(command));

test('get commands need GET and are refused on POST', () => {
  assert.equal(allows('get', 'get status'), true);
  assert.equal(allows('post', 'get status'), false);
  assert.equal(allows('get', 'GET Status'), true, 'words are compared lower-cased');
});

test('commands outside the table are POST only', () => {
  assert.equal(allows('get', 'blah blah'), false);
  assert.equal(allows('post', 'blah blah'), true);
  assert.equal(allows('post', 'set node name x'), true);
  assert.equal(allows('get', 'set node name x'), false);
});

test("EdgeLake's quirk is kept: a GET key passes on POST when its first word alone is not in the table", () => {
  assert.equal(allows('get', 'blockchain get operator'), true);
  assert.equal(allows('post', 'blockchain get operator'), true);
  assert.equal(allows('post', 'job status'), true);
  assert.equal(allows('get', 'blockchain drop policy'), false, 'a POST key is still refused on GET');
});

test('sql, print, wait and subprocess go on both methods', () => {
  for (const m of ['get', 'post'] as const) {
    assert.equal(allows(m, 'sql test "select 1"'), true);
    assert.equal(allows(m, 'print hello'), true);
    assert.equal(allows(m, 'wait 3'), true);
  }
});

test('three-word keys are found when the two-word key is not in the table', () => {
  assert.equal(allows('get', 'time file get where dbms = x'), true);
  assert.equal(allows('get', 'time file summary'), true);
  assert.equal(allows('get', 'time file add x'), false);
  assert.equal(allows('post', 'job stop all'), true);
  assert.equal(allows('get', 'job run 3'), false);
});

test('a one-word command must match exactly and only for its own method', () => {
  assert.equal(allows('get', 'help'), true);
  assert.equal(allows('post', 'help'), false);
  assert.equal(allows('get', 'HELP'), false, 'EdgeLake does not lower-case a lone word');
  assert.equal(allows('post', 'sql'), false, "'get*post' is compared for equality on a lone word");
  assert.equal(allows('post', 'reset'), false, 'an unknown lone word is refused on both methods');
  assert.equal(allows('get', ''), false);
});

test('firstWords splits on any whitespace and keeps at most three words', () => {
  assert.deepEqual(firstWords('  get   rest\tcalls now please '), ['get', 'rest', 'calls']);
  assert.deepEqual(firstWords(''), []);
});
