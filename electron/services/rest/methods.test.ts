import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentProduct, isCorrectMethod } from './methods.js';

test('get commands need GET and are refused on POST', () => {
  assert.equal(isCorrectMethod('get', ['get', 'status']), true);
  assert.equal(isCorrectMethod('post', ['get', 'status']), false);
});

test('commands outside the table are POST only', () => {
  assert.equal(isCorrectMethod('get', ['blah', 'blah']), false);
  assert.equal(isCorrectMethod('post', ['blah', 'blah']), true);
  assert.equal(isCorrectMethod('post', ['set', 'node', 'name', 'x']), true);
});

test("EdgeLake's quirk kept: POST blockchain get passes because 'blockchain' alone is not in the table", () => {
  assert.equal(isCorrectMethod('get', ['blockchain', 'get', 'operator']), true);
  assert.equal(isCorrectMethod('post', ['blockchain', 'get', 'operator']), true);
});

test('sql, print and wait go on both methods; three-word keys are found', () => {
  for (const m of ['get', 'post'] as const) assert.equal(isCorrectMethod(m, ['sql', 'test', 'select 1']), true);
  assert.equal(isCorrectMethod('get', ['time', 'file', 'get']), true);
  assert.equal(isCorrectMethod('post', ['job', 'stop']), true);
});

test('the agent product is the part before the slash, lower-cased', () => {
  assert.equal(agentProduct('AnyLog/1.23'), 'anylog');
  assert.equal(agentProduct('curl/7.88.1'), 'curl');
  assert.equal(agentProduct(undefined), '');
});
