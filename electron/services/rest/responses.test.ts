import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CORS_ALLOWED_HEADERS,
  errorJson,
  failedReply,
  missingCommandReply,
  networkFailedReply,
  pingReply,
  preflightReply,
  reasonPhrase,
  replyHead,
  resultReply,
  resultType,
  unknownAgentReply,
  urlReply,
  wrongMethodReply,
} from './responses.js';

const date = new Date('2026-11-23T00:41:24Z');
const names = (head: [string, string][]) => head.map(([k]) => k);

test("headers come in EdgeLake's order: Content-Type, CORS, length or chunked, Connection", () => {
  assert.deepEqual(names(replyHead(resultReply('get', 'x', 'text', false), date)), [
    'Server',
    'Date',
    'Content-Type',
    'Access-Control-Allow-Origin',
    'Vary',
    'Access-Control-Expose-Headers',
    'Content-Length',
    'Connection',
  ]);
  const chunked = replyHead(pingReply(), date);
  assert.deepEqual(chunked.slice(2), [
    ['Content-Type', 'text/json'],
    ['Access-Control-Allow-Origin', '*'],
    ['Vary', 'Origin'],
    ['Access-Control-Expose-Headers', '*'],
    ['Transfer-Encoding', 'chunked'],
    ['Connection', 'close'],
  ]);
  assert.deepEqual(chunked[1], ['Date', 'Mon, 23 Nov 2026 00:41:24 GMT']);
});

test('Content-Length counts the UTF-8 bytes of the body', () => {
  const head = replyHead(resultReply('get', 'café', 'text', false), date);
  assert.deepEqual(head.find(([k]) => k === 'Content-Length'), ['Content-Length', '5']);
});

test('the CORS preflight has its own header set and echoes the requested headers', () => {
  const head = replyHead(preflightReply(undefined), date);
  assert.deepEqual(head.slice(2), [
    ['Access-Control-Allow-Origin', '*'],
    ['Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, HEAD, OPTIONS'],
    ['Access-Control-Allow-Headers', CORS_ALLOWED_HEADERS],
    ['Access-Control-Expose-Headers', '*'],
    ['Access-Control-Max-Age', '86400'],
    ['Content-Length', '0'],
    ['Connection', 'close'],
  ]);
  assert.equal(replyHead(preflightReply('command, x-y'), date)[4]![1], 'command, x-y');
  assert.equal(preflightReply(undefined).status, 204);
});

test("the error JSON has EdgeLake's keys, order and spacing", () => {
  assert.equal(
    errorJson({ method: 'get', node: '127.0.0.1', code: 2 }),
    '{"method": "get", "node": "127.0.0.1", "err_code": 2, "err_text": "Error Command Structure"}',
  );
  assert.equal(
    errorJson({ method: 'post', node: '10.0.0.1', code: 141, operatorMsg: 'peer says no', localMsg: 'Error with command #2 in the message body: \'b\'' }),
    '{"method": "post", "node": "10.0.0.1", "err_code": 141, "err_text": "Unrecognized Command", "operaor_msg": "peer says no", "local_msg": "Error with command #2 in the message body: \'b\'"}',
  );
});

test('a failed command: 400, the JSON as reason phrase and as a chunked body, then the trailer for EdgeLake\'s connector', () => {
  const r = failedReply({ method: 'get', node: '127.0.0.1', code: 2 });
  const json = '{"method": "get", "node": "127.0.0.1", "err_code": 2, "err_text": "Error Command Structure"}';
  assert.deepEqual(r, { status: 400, reason: json, contentType: 'text/json', framing: 'chunked', body: json, brokenTrailer: json });
  assert.equal(reasonPhrase(r), json);
  // local_msg goes in the body, not in the trailer (its text could break the connector's parser).
  const detailed = failedReply({ method: 'get', node: '127.0.0.1', code: 2, localMsg: "Unknown key 'x' {y}" });
  assert.match(detailed.body!, /"local_msg": "Unknown key 'x' \{y\}"/);
  assert.equal(detailed.brokenTrailer, json);
});

test('the reason phrase cannot break the status line', () => {
  assert.equal(reasonPhrase({ status: 400, reason: 'a\r\nb\u0000c', framing: 'length' }), 'a  b c');
  assert.equal(reasonPhrase({ status: 404, framing: 'length' }), 'Not Found');
});

test('the wrong method answer is 400 Bad Request with Content-Type json (sic) and a sized body', () => {
  const r = wrongMethodReply('post', '127.0.0.1', 156);
  assert.equal(r.status, 400);
  assert.equal(reasonPhrase(r), 'Bad Request');
  assert.equal(r.contentType, 'json');
  assert.equal(r.framing, 'length');
  assert.equal(r.body, '{"method": "post", "node": "127.0.0.1", "err_code": 156, "err_text": "Wrong HTTP method used"}');
});

test('success shapes: result with length, empty GET chunked, empty POST length 0, select chunked', () => {
  assert.deepEqual(resultReply('get', 'AnyLog@127.0.0.1:32280 running', 'text', false), {
    status: 200,
    contentType: 'text',
    framing: 'length',
    body: 'AnyLog@127.0.0.1:32280 running',
  });
  assert.deepEqual(resultReply('get', '', 'text/json', false), { status: 200, contentType: 'text', framing: 'chunked' });
  assert.deepEqual(resultReply('post', '', 'text/json', false), { status: 200, contentType: 'text', framing: 'length' });
  assert.equal(resultReply('post', '{"Query": []}', 'text/json', true).framing, 'chunked');
});

test('other answers: missing command, unknown agent, network failure, /health', () => {
  assert.deepEqual(missingCommandReply(), { status: 400, contentType: 'text', framing: 'length', body: "Missing 'command' attribute in header" });
  assert.equal(
    unknownAgentReply('127.0.0.1').reason,
    '{"Error" : "HTTP server received POST message from unknown \'User-Agent\': \'None\'", "Source" : "127.0.0.1"}',
  );
  const net = networkFailedReply({ method: 'get', node: '127.0.0.1', code: 155 }, 'text/json');
  assert.equal(net.status, 200);
  assert.equal(net.framing, 'chunked');
  assert.equal(urlReply('/health', 1795394609.0401778).body, '{"status": "healthy", "service": "anylog-rest-server", "timestamp": 1795394609.0401778}');
  assert.match(urlReply('/health', 1795394609).body!, /"timestamp": 1795394609\.0\}$/, 'Python prints a float');
  assert.equal(urlReply('/api/status', 0).body, '{"status": "ok"}');
});

test('the content type follows the first character of the result', () => {
  assert.equal(resultType('{"a": 1}'), 'text/json');
  assert.equal(resultType('[1]'), 'text/json');
  assert.equal(resultType('\r\nAttribute'), 'text');
  assert.equal(resultType(''), 'text');
});
