// References inside policy JSON are replaced where EdgeLake 1.4.2604 replaces them (observed on the real node).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Dictionary } from '../command/dictionary.js';
import { substituteJson } from './words.js';

test('!x outside strings becomes its value; strings, "!x" included, stay as written until config from policy', () => {
  const d = new Dictionary({});
  d.set('zz', '7');
  d.set('host', 'edge-1');
  assert.equal(substituteJson('{"s": {"port": "!zz.int", "q": "!zz", "r": !zz, "h": !host}}', d), '{"s": {"port": "!zz.int", "q": "!zz", "r": 7, "h": "edge-1"}}');
});
