import { tableText } from '../command/render.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliSections } from '../testing/transcripts.js';
import { localTimestamp, RestStats } from './stats.js';

/** A clock the test moves by hand (local time, as EdgeLake prints). */
function clock() {
  let now = new Date(2026, 10, 23, 0, 41, 24);
  return { now: () => now, set: (h: number, m: number, s: number) => (now = new Date(2026, 10, 23, h, m, s)) };
}

interface Row {
  caller: string | undefined;
  verb: string;
  processed: number;
  errors: number;
  lastError: string;
  first: [number, number, number];
  last: [number, number, number];
  from: string;
}

/** Records `processed` calls so that the row ends up as given. */
function replay(stats: RestStats, c: ReturnType<typeof clock>, row: Row): void {
  for (let i = 0; i < row.processed; i++) {
    const isLast = i === row.processed - 1;
    c.set(...(i === 0 ? row.first : isLast ? row.last : row.first));
    // the last call carries the last error; earlier errors fill the count
    const error = row.errors > 0 && (isLast || i < row.errors - 1) ? row.lastError : undefined;
    stats.record(row.caller, row.verb, isLast ? row.from : '127.0.0.1:1', error);
  }
}

test('get rest calls prints the statistics table exactly as EdgeLake', () => {
  const [, second] = cliSections('get-rest-calls.txt');
  const c = clock();
  const stats = new RestStats(c.now);
  const rows: Row[] = [
    { caller: 'anylog', verb: 'GET', processed: 17, errors: 3, lastError: 'Wrong HTTP method used', first: [0, 41, 24], last: [0, 46, 0], from: '127.0.0.1:34836' },
    { caller: 'anylog', verb: 'POST', processed: 12, errors: 6, lastError: 'Error with data provided by a subscribed message', first: [0, 43, 18], last: [0, 46, 18], from: '127.0.0.1:41168' },
    { caller: 'anylog', verb: 'PUT', processed: 6, errors: 1, lastError: 'REST call error', first: [0, 43, 34], last: [0, 44, 34], from: '127.0.0.1:57870' },
    { caller: undefined, verb: 'GET', processed: 4, errors: 0, lastError: '', first: [0, 43, 19], last: [0, 43, 29], from: '127.0.0.1:48044' },
    { caller: undefined, verb: 'POST', processed: 1, errors: 1, lastError: 'Unknown user agent', first: [0, 43, 20], last: [0, 43, 20], from: '127.0.0.1:53794' },
    { caller: 'url', verb: 'GET', processed: 2, errors: 0, lastError: '', first: [0, 43, 29], last: [0, 43, 29], from: '127.0.0.1:48036' },
  ];
  for (const row of rows) replay(stats, c, row);
  // The CLI adds \r\n after a command's text.
  assert.equal(tableText(stats.table('http://127.0.0.1:32281')) + '\r\n', second!.output);
});

test('with no server run yet the header has no address, and an empty table still has its titles', () => {
  const text = tableText(new RestStats().table(undefined));
  assert.ok(text.startsWith('\r\nStatistics for REST calls\r\nCaller Call Processed'), JSON.stringify(text));
});

test('timestamps are local time to the second', () => {
  assert.equal(localTimestamp(new Date(2026, 0, 2, 3, 4, 5, 999)), '2026-01-02 03:04:05');
});
