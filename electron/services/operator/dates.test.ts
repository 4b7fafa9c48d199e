// Dates in where clauses (get tsd details where start_date = .., schedule ... start = ..): a date that does not
// exist is refused naming it, never read as text that filters nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDate } from './dates.js';

test('valid dates and offsets are read; dates that do not exist are refused naming what is wrong', () => {
  assert.equal(parseDate('2024-02-29'), '2024-02-29');
  assert.equal(parseDate('2026-12-06 23:59:59'), '2026-12-06 23:59:59');
  assert.match(parseDate('-3d', new Date('2026-12-06T00:00:00Z')), /^2026-12-03/);
  assert.throws(() => parseDate('2026-13-45'), /'2026-13-45' is not a date: month 13, day 45 do not exist/);
  assert.throws(() => parseDate('2025-02-29'), /is not a date/);
  assert.throws(() => parseDate('2026-12-06 24:00'), /time 24:00 do not exist/);
  assert.throws(() => parseDate('garbage'), /'garbage' is not a date: use YYYY-MM-DD/);
});
