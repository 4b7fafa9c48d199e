import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs, resolveHome, UsageError } from './args.js';

test('--home wins over EDGELAKE_HOME, which wins over the user data directory', () => {
  assert.equal(resolveHome('/a', { EDGELAKE_HOME: '/b' }, 'linux'), '/a');
  assert.equal(resolveHome(undefined, { EDGELAKE_HOME: '/b' }, 'linux'), '/b');
  assert.equal(resolveHome(undefined, { XDG_DATA_HOME: '/x' }, 'linux'), '/x/edgelake-desktop/node');
  assert.equal(resolveHome(undefined, { APPDATA: 'C:/AppData' }, 'win32'), 'C:/AppData/edgelake-desktop/node');
});

test('options parse into a console port, a script and a token', () => {
  const o = parseArgs(['--home', '/h', '--script', 's.al', '--console', '0', '--console-host', '0.0.0.0', '--token', 't'], {}, 'linux');
  assert.deepEqual(o, { home: '/h', script: 's.al', consolePort: 0, consoleHost: '0.0.0.0', token: 't', stdin: true, help: false });
  assert.equal(parseArgs(['--console', '8080', '--no-console'], {}, 'linux').consolePort, undefined);
  assert.equal(parseArgs(['--no-stdin'], {}, 'linux').stdin, false);
});

test('a bad option or a missing value is a usage error that names it', () => {
  assert.throws(() => parseArgs(['--bogus'], {}, 'linux'), (e: unknown) => e instanceof UsageError && /--bogus/.test(e.message));
  assert.throws(() => parseArgs(['--console', 'abc'], {}, 'linux'), /--console takes a port number/);
  assert.throws(() => parseArgs(['--home'], {}, 'linux'), /--home needs a value/);
});
