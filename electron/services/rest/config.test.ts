import { tableText } from '../command/render.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandError } from '../core/status.js';
import { cliSections } from '../testing/transcripts.js';
import { serverInfoTable } from './commands.js';
import { addressesOf, configFromOptions, processDetails, sizeText, withBoundPort } from './config.js';

const defaults = { timeout: 20, threads: 5, ssl: false, bind: false };

test('external and internal addresses stand in for each other', () => {
  const a = configFromOptions({ ...defaults, external_ip: '10.0.0.1', external_port: 7849 });
  assert.equal(a.internalIp, '10.0.0.1');
  assert.equal(a.internalPort, 7849);
  const b = configFromOptions({ ...defaults, internal_ip: '192.168.1.2', internal_port: 7850 });
  assert.equal(b.externalIp, '192.168.1.2');
  assert.equal(b.externalPort, 7850);
});

test('a missing address or port, a bad port or thread count is refused naming the option', () => {
  const refused = (o: Record<string, unknown>, pattern: RegExp) =>
    assert.throws(() => configFromOptions({ ...defaults, ...o }), (e: unknown) => e instanceof CommandError && e.code === 2 && pattern.test(e.detail ?? ''));
  refused({ external_port: 1 }, /needs an address/);
  refused({ external_ip: 'x' }, /needs a port/);
  refused({ external_ip: 'x', external_port: 70000 }, /external_port = 70000 is not a port number/);
  refused({ external_ip: 'x', external_port: 1, threads: 0 }, /threads = 0/);
  refused({ external_ip: 'x', external_port: 1, timeout: -1 }, /timeout = -1/);
  refused({ external_ip: 'x', external_port: 1, max_body_size: 0 }, /max_body_size = 0 is too small/);
  refused({ external_ip: 'x', external_port: 1, read_timeout: 0 }, /read_timeout = 0 is out of range \(1-3600 seconds\)/);
});

test('the body limits default to 32 MB and 30 seconds and print as people write sizes', () => {
  const c = configFromOptions({ ...defaults, external_ip: 'x', external_port: 1 });
  assert.equal(c.maxBodySize, 32 * 1024 * 1024);
  assert.equal(c.readTimeout, 30);
  assert.equal(configFromOptions({ ...defaults, external_ip: 'x', external_port: 1, max_body_size: 2048, read_timeout: 5 }).maxBodySize, 2048);
  assert.deepEqual([sizeText(c.maxBodySize), sizeText(1536), sizeText(1024), sizeText(512), sizeText(3 * 1024 ** 4)], ['32 MB', '1.5 KB', '1 KB', '512 bytes', '3 TB']);
});

test('ssl = true is refused with a clear reason until certificates can be configured', () => {
  assert.throws(
    () => configFromOptions({ ...defaults, external_ip: 'x', external_port: 1, ssl: true }),
    (e: unknown) => e instanceof CommandError && /ssl = true is not available yet/.test(e.detail ?? ''),
  );
});

test("get processes details and get connections addresses follow EdgeLake's rules", () => {
  const bound = configFromOptions({ ...defaults, external_ip: '1.2.3.4', external_port: 32281, internal_ip: '127.0.0.1', bind: true, threads: 3 });
  assert.equal(processDetails(bound), 'Listening on: 127.0.0.1:32281, Threads Pool: 3, Timeout: 20, SSL: False');
  assert.deepEqual(addressesOf(bound), { external: '127.0.0.1:32281', internal: '127.0.0.1:32281', bind: '127.0.0.1:32281' });
  const open = configFromOptions({ ...defaults, external_ip: '1.2.3.4', external_port: 7849, internal_ip: '10.0.0.5', internal_port: 7850 });
  assert.equal(processDetails(open), 'Listening on: 1.2.3.4:7849 and 10.0.0.5:7850, Threads Pool: 5, Timeout: 20, SSL: False');
  assert.deepEqual(addressesOf(open), { external: '1.2.3.4:7849', internal: '10.0.0.5:7850', bind: '0.0.0.0:7850' });
});

test('port 0 takes the port the system chose', () => {
  const c = withBoundPort(configFromOptions({ ...defaults, external_ip: '127.0.0.1', external_port: 0 }), 40123);
  assert.equal(c.internalPort, 40123);
  assert.equal(c.externalPort, 40123);
});

test('get rest server info prints as the real node for the same configuration', () => {
  const [expected] = cliSections('get-rest-server-info.txt');
  const c = configFromOptions({ ...defaults, external_ip: '127.0.0.1', external_port: 32281, bind: true, threads: 3 });
  assert.equal(tableText(serverInfoTable(c, '2048')) + '\r\n', expected!.output);
});

test('before any run rest server, get rest server info shows the defaults', () => {
  const text = tableText(serverInfoTable(undefined, '2048'));
  assert.match(text, /\r\nbuff_size {7}\| 0 +\|/);
  assert.match(text, /\r\nconnection {6}\|  +\|/);
  assert.match(text, /\r\nis_bind {9}\| True +\|/);
});
