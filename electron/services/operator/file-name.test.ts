import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileHash, fitName, parseFileName, recordedName } from './file-name.js';
import { parseJsonRows } from './json-rows.js';

test('file names with 2 to 5 segments get defaults; 8 segments carry member, row id and date', () => {
  assert.deepEqual(parseFileName('test.readings.json'), { dbms: 'test', table: 'readings', source: '0', hash: '0', instructions: '0', member: undefined, rowId: undefined, date: undefined, type: 'json', compressed: false });
  const full = parseFileName('test.readings.0.89f68d4a873dcd0568f84608c1a2f56a.0.57.2.261123004020.json');
  assert.equal(full.member, '57');
  assert.equal(full.rowId, '2');
  assert.equal(full.date, '261123004020');
  assert.equal(parseFileName('Test.Readings.dev7.json.gz').compressed, true);
});

test('a name that does not fit is error 119 saying which part is wrong', () => {
  const err = (name: string) => {
    try {
      parseFileName(name);
    } catch (e) {
      return e as { code: number; detail: string };
    }
    throw new Error(`${name} was accepted`);
  };
  assert.equal(err('onlyone.json').code, 119);
  assert.match(err('onlyone.json').detail, /1 segment before '\.json'/);
  assert.match(err('a.b.c.d.e.f.json').detail, /6 segments/);
  assert.match(err('te-st.readings.json').detail, /dbms name 'te-st'/);
  assert.match(err('test.readings.0.nothex.json').detail, /hash 'nothex'/);
  assert.match(err('test.readings.0.89f68d4a873dcd0568f84608c1a2f56a.0.x.2.261123004020.json').detail, /member id 'x'/);
});

test("the operator's hash is md5 of 'dbms.table' and the bytes (verified on a real node's tsd_info)", () => {
  const content = '{"timestamp":"2024-07-01T10:00:00Z","device":"m0","value":1.5}\n{"timestamp":"2024-07-01T10:01:00Z","device":"m1","value":2.5}\n{"timestamp":"2024-07-01T10:02:00Z","device":"m2","value":3.5}';
  assert.equal(fileHash('test', 'mqtt_readings', Buffer.from(content)), '3414c80c663f62fa29ace67d5480ba54');
});

test('a recorded file is renamed with all eight segments', () => {
  const f = { ...parseFileName('test.readings.json'), hash: '89f68d4a873dcd0568f84608c1a2f56a' };
  assert.equal(recordedName(f, '57', 2, new Date(Date.UTC(2026, 10, 23, 0, 40, 20))), 'test.readings.0.89f68d4a873dcd0568f84608c1a2f56a.0.57.2.261123004020.json');
});

test('JSON content: NDJSON, a pretty object and an array are rows; a bad line fails the file naming the line', () => {
  assert.equal(parseJsonRows('{"a":1}\n{"a":2}\n').length, 2);
  assert.equal(parseJsonRows('{\n  "a": 1,\n  "b": 2\n}\n').length, 1);
  assert.equal(parseJsonRows('[{"a":1},{"a":2},{"a":3}]').length, 3);
  assert.throws(() => parseJsonRows('{"a":1}\nnot json\n{"a":3}'), (e: { code: number; detail: string }) => e.code === 67 && /line 2 is not valid JSON/.test(e.detail));
  assert.throws(() => parseJsonRows('   '), /the file is empty/);
  assert.throws(() => parseJsonRows('[1, 2]'), /element 1 is not a JSON object/);
});

test('a name too long for a reserve is shortened within 255 bytes, keeping its type and a tag of the full name', () => {
  const long = `test.t.${'é'.repeat(120)}.json`;
  const fitted = fitName(long, 35);
  assert.ok(Buffer.byteLength(fitted) + 35 <= 255, fitted);
  assert.match(fitted, /^test\.t\.é+~[0-9a-f]{8}\.json$/);
  assert.notEqual(fitName(`${long.slice(0, -5)}x.json`, 35), fitted, 'two long names stay apart');
  assert.equal(fitName('test.readings.json', 35), 'test.readings.json');
});

test('a name of the wrong type says so before counting its segments', () => {
  assert.throws(() => parseFileName('readings.fuzzext'), /readings\.fuzzext: '\.fuzzext' is not a type the operator takes .*; name the file dbms\.table/);
  assert.throws(() => parseFileName('readme'), /readme: the name has no type/);
});
