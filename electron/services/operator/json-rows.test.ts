// Reading a watch-directory file's rows (operator.md §4) with its numbers unchanged (issue 10, defect 7): JSON.parse
// alone stores 9007199254740993 as ...992, 9223372036854775807 as a float, 1e400 as inf and 1e-400 as 0.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandError } from '../core/status.js';
import { parseJsonRows } from './json-rows.js';

const refusal = (text: string): string => {
  try {
    parseJsonRows(text);
  } catch (err) {
    assert.ok(err instanceof CommandError, String(err));
    return err.detail ?? err.message;
  }
  return assert.fail(`accepted: ${text}`);
};

test('integers beyond 2^53 are read exactly, as BigInt, in every file layout', () => {
  const ndjson = parseJsonRows('{"n": 1, "id": 9007199254740993}\n{"n": 2, "id": 9223372036854775807, "low": -9223372036854775808}\n');
  assert.deepEqual(ndjson, [
    { n: 1, id: 9007199254740993n },
    { n: 2, id: 9223372036854775807n, low: -9223372036854775808n },
  ]);
  assert.deepEqual(parseJsonRows('[{"id": 9007199254740993}, {"id": 12}]'), [{ id: 9007199254740993n }, { id: 12 }]);
  assert.deepEqual(parseJsonRows('{\n  "id": 9007199254740995,\n  "list": [18014398509481985]\n}\n'), [{ id: 9007199254740995n, list: [18014398509481985n] }]);
  // With a blank line the file is read line by line; the numbers are the same.
  assert.deepEqual(parseJsonRows('{"id": 9007199254740993}\n\n{"id": 1}\n'), [{ id: 9007199254740993n }, { id: 1 }]);
});

test('numbers that fit a double stay plain numbers, exponents included', () => {
  assert.deepEqual(parseJsonRows('{"a": 9007199254740991, "b": 1.5e3, "c": -2E-5, "d": 1234567890123456.5, "s": "1e400"}\n'), [
    { a: 9007199254740991, b: 1500, c: -2e-5, d: 1234567890123456.5, s: '1e400' },
  ]);
});

test('a number that would change is refused with its row and attribute named', () => {
  assert.match(refusal('{"v": 1}\n{"v": 1e400}\n'), /^row 2, attribute 'v': 1e400 is beyond the range of a float/);
  assert.match(refusal('{"v": 1}\n{"v": -1e400}\n'), /^row 2, attribute 'v': -1e400 is beyond the range of a float/);
  assert.match(refusal('{"v": 1e-400}\n'), /^row 1, attribute 'v': 1e-400 is too small for a float \(it would be stored as 0\)/);
  assert.match(refusal('{"a": 1, "big": 18446744073709551616}\n'), /^row 1, attribute 'big': 18446744073709551616 is an integer beyond 64 bits/);
  assert.match(refusal('[{"v": 1}, {"v": 9223372036854775808}]'), /^row 2, attribute 'v': 9223372036854775808 is an integer beyond 64 bits/);
  assert.match(refusal('{"v": 1}\n\n{"nested": {"x": 1e999}}\n'), /^line 3, attribute 'nested\.x': 1e999 is beyond the range/);
  assert.match(refusal(`{"v": 0.${'0'.repeat(400)}1}\n`), /^row 1, attribute 'v': 0\.0{22}…0{11}1 is too small for a float/);
  // 0 written with an exponent is a plain zero, not an underflow.
  assert.deepEqual(parseJsonRows('{"v": 0e-400, "w": 0.0E5}\n'), [{ v: 0, w: 0 }]);
});

test('text that is not JSON is still reported by line when the exact reader is used', () => {
  assert.match(refusal('{"v": 9007199254740993}\n{"v": oops}\n'), /^line 2 is not valid JSON/);
});
