import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bodyCommands,
  decodeText,
  isAssignmentName,
  normalizeHeaders,
  parseAgent,
  parseTimeoutHeader,
  sqlSelect,
  timeToSeconds,
  unquote,
  urlFormHeaders,
  urlRoute,
} from './request.js';

test('header names are lower-cased and values trimmed; the last of a repeated header wins', () => {
  const h = normalizeHeaders(['Command', '  get status ', 'USER-AGENT', 'AnyLog/1.23', 'x', '1', 'X', '2']);
  assert.deepEqual(h, { command: 'get status', 'user-agent': 'AnyLog/1.23', x: '2' });
});

test('anylog-agent replaces User-Agent (browsers cannot set it)', () => {
  const h = normalizeHeaders(['User-Agent', 'Mozilla/5.0', 'anylog-agent', 'AnyLog/1.23']);
  assert.equal(h['user-agent'], 'AnyLog/1.23');
});

test('header values sent as UTF-8 arrive as the text meant; other bytes as ISO-8859-1', () => {
  const utf8 = Buffer.from('print café', 'utf8').toString('latin1'); // how Node hands the bytes over
  assert.equal(normalizeHeaders(['command', utf8]).command, 'print café');
  assert.equal(decodeText(Buffer.from([0x63, 0x61, 0x66, 0xe9])), 'café', 'a lone 0xE9 is not UTF-8: read as Latin-1');
});

test('the agent product is the part before the slash, lower-cased; curl counts as anylog', () => {
  assert.deepEqual(parseAgent('AnyLog/1.23'), { product: 'anylog', curl: false });
  assert.deepEqual(parseAgent(' anylog '), { product: 'anylog', curl: false });
  assert.deepEqual(parseAgent('Grafana/9'), { product: 'grafana', curl: false });
  assert.deepEqual(parseAgent('curl/7.88.1'), { product: 'anylog', curl: true });
  assert.deepEqual(parseAgent('Mozilla/5.0'), { product: undefined, curl: false });
  assert.deepEqual(parseAgent('/1.0'), { product: undefined, curl: false });
  assert.deepEqual(parseAgent(undefined), { product: undefined, curl: false });
});

test('URL form: ?-separated key=value pairs become headers, percent-decoded', () => {
  assert.deepEqual(urlFormHeaders('/?User-Agent=AnyLog/1.23?command=get%20status'), {
    pairs: [
      ['user-agent', 'AnyLog/1.23'],
      ['command', 'get status'],
    ],
  });
  assert.deepEqual(urlFormHeaders('/x?command=sql%20d%20%22select%201%22??'), { pairs: [['command', 'sql d "select 1"']] });
  assert.equal(urlFormHeaders('/health'), undefined);
});

test('URL form: an encoded ? stays inside its value, an encoded = separates key and value', () => {
  assert.deepEqual(urlFormHeaders('/?command=print%20a%3Fb'), { pairs: [['command', 'print a?b']] });
  assert.deepEqual(urlFormHeaders('/?command%3Dget%20status'), { pairs: [['command', 'get status']] });
});

test('URL form: a pair without key or value is the error EdgeLake reports', () => {
  assert.deepEqual(urlFormHeaders('/?command'), { error: 'Error in header value command' });
  assert.deepEqual(urlFormHeaders('/?=x'), { error: 'Error in header value =x' });
  assert.deepEqual(urlFormHeaders('/?command='), { error: 'Error in header value command=' });
});

test('unquote leaves malformed escapes as they are, like Python', () => {
  assert.equal(unquote('a%2'), 'a%2');
  assert.equal(unquote('100%'), '100%');
  assert.equal(unquote('caf%C3%A9'), 'café');
});

test('/health and /api/status are matched by prefix, as EdgeLake does', () => {
  assert.equal(urlRoute('/health'), '/health');
  assert.equal(urlRoute('/healthz'), '/health');
  assert.equal(urlRoute('/api/status'), '/api/status');
  assert.equal(urlRoute('/'), undefined);
  assert.equal(urlRoute('/other'), undefined);
});

test('body commands: one per line, and the last line runs whole even without a newline', () => {
  assert.deepEqual(bodyCommands('a = 1\nb = 2'), [
    { number: 1, text: 'a = 1' },
    { number: 2, text: 'b = 2' },
  ]);
  assert.deepEqual(bodyCommands('a_from_body = 123\r\nb_from_body = 456\r\n'), [
    { number: 1, text: 'a_from_body = 123' },
    { number: 2, text: 'b_from_body = 456' },
  ]);
});

test('body commands: blank lines are skipped but keep their number; tabs are spaces', () => {
  assert.deepEqual(bodyCommands('a = 1\n\n\tb\t=\t2\n'), [
    { number: 1, text: 'a = 1' },
    { number: 3, text: 'b = 2' },
  ]);
});

test('body commands: a <...> block spans lines and may hold a > inside', () => {
  assert.deepEqual(bodyCommands('<run msg client where\n broker = rest and\n topic = x>\nif !a > 3 then print big'), [
    { number: 1, text: 'run msg client where broker = rest and topic = x' },
    { number: 2, text: 'if !a > 3 then print big' },
  ]);
  assert.deepEqual(bodyCommands('<a = 1>'), [{ number: 1, text: 'a = 1' }]);
  assert.deepEqual(bodyCommands('<a = 1\nb'), [{ number: 1, text: 'a = 1 b' }], 'an unclosed block runs as written');
});

test('the timeout header takes seconds or a number and a unit', () => {
  assert.equal(parseTimeoutHeader(undefined), undefined);
  assert.deepEqual(parseTimeoutHeader('5'), { seconds: 5 });
  assert.deepEqual(parseTimeoutHeader('0'), { seconds: 0 });
  assert.deepEqual(parseTimeoutHeader('2 minutes'), { seconds: 120 });
  assert.deepEqual(parseTimeoutHeader('1 hour'), { seconds: 3600 });
  assert.match((parseTimeoutHeader('soon') as { error: string }).error, /'soon' is not a time/);
  assert.ok('error' in parseTimeoutHeader('-1')!, 'negative');
  assert.ok('error' in parseTimeoutHeader('5 fortnights')!, 'unknown unit');
});

test('timeToSeconds follows EdgeLake units', () => {
  assert.equal(timeToSeconds('3'), 3);
  assert.equal(timeToSeconds('2', 'days'), 172800);
  assert.equal(timeToSeconds('2', 'weeks'), undefined);
  assert.equal(timeToSeconds('x', 'seconds'), undefined);
});

test('a local sql select is detected, and format = table makes it text', () => {
  assert.deepEqual(sqlSelect('sql test2 format=json "select * from ts_epoch"'), { select: true, table: false });
  assert.deepEqual(sqlSelect('sql test2 format=table "select row_id from ts_epoch"'), { select: true, table: true });
  assert.deepEqual(sqlSelect('sql test2 format = table and stat = false "SELECT 1 "'), { select: true, table: true });
  assert.deepEqual(sqlSelect('sql test "create table t (select_x int)"'), { select: false, table: false });
  assert.deepEqual(sqlSelect('get status'), { select: false, table: false });
});

test('assignment names are dictionary keys', () => {
  assert.equal(isAssignmentName('st'), true);
  assert.equal(isAssignmentName('my.key_1'), true);
  assert.equal(isAssignmentName('a b'), false);
  assert.equal(isAssignmentName('!x'), false);
  assert.equal(isAssignmentName(''), false);
});
