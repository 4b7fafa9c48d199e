import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BlockAccumulator } from './block-accumulator.js';

test('a <...> block spanning lines becomes one command joined with single spaces', () => {
  const acc = new BlockAccumulator();
  assert.equal(acc.push('<blockchain get operator'), undefined);
  assert.equal(acc.open, true);
  assert.equal(acc.push('  where name = operator-O'), undefined);
  assert.equal(acc.push('  bring [operator][member]>'), 'blockchain get operator where name = operator-O bring [operator][member]');
  assert.equal(acc.open, false);
});

test('a one-line block and a plain line pass through', () => {
  const acc = new BlockAccumulator();
  assert.equal(acc.push('<print a>'), 'print a');
  assert.equal(acc.push('get status'), 'get status');
});
