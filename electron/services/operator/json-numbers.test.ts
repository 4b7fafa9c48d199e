// The exact JSON reader against JSON.parse, and the scan that keeps ordinary files on JSON.parse.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasUnsafeNumber, jsonText, mayUnderflow, parseJsonExact } from './json-numbers.js';

test('the exact reader reads what JSON.parse reads, and rejects what it rejects', () => {
  const docs = ['{"a": "x\\"y\\\\z\\u00e9\\n", "b": [true, false, null, -0.5, 0, 1e2], "c": {}, "d": []}', ' [ 1 , {"k" : "v"} ] ', '"\\ud83d\\ude00"', '-12.5e-3'];
  for (const doc of docs) assert.deepEqual(parseJsonExact(doc), JSON.parse(doc), doc);
  for (const bad of ['{"a": 1,}', '{"a" 1}', '[1 2]', '01', '{"a": tru}', '"open', '{} x', '']) {
    assert.throws(() => JSON.parse(bad), SyntaxError, bad);
    assert.throws(() => parseJsonExact(bad), SyntaxError, bad);
  }
});

test('ordinary files stay on JSON.parse: only unsafe values or an underflow-shaped text send them to the exact reader', () => {
  assert.equal(mayUnderflow('{"timestamp":"2024-05-01T10:00:00Z","device":"time-of-day","v":1.5e-5,"id":"0e8400e2-29b4"}'), false);
  assert.equal(mayUnderflow('{"v": 1e-400}'), true);
  assert.equal(mayUnderflow('{"v": 2.5E-324}'), true);
  assert.equal(mayUnderflow(`{"v": 0.${'0'.repeat(330)}1}`), true);
  assert.equal(hasUnsafeNumber([{ a: 9007199254740991, b: -9007199254740991, c: 'x', d: [1, { e: 2 }] }]), false);
  assert.equal(hasUnsafeNumber([{ a: 1 }, { b: 9007199254740992 }]), true);
  assert.equal(hasUnsafeNumber([{ a: { b: [Infinity] } }]), true);
});

test('values with BigInts print as JSON.stringify prints the rest', () => {
  assert.equal(jsonText({ a: [1, 9007199254740993n, 'x'], b: { c: null }, u: undefined }), '{"a":[1,9007199254740993,"x"],"b":{"c":null}}');
});
