// Policy ids against the spec's worked examples and every policy of a real master's ledger (policies.md §2).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { transcript } from '../testing/transcripts.js';
import { idSource, md5, parsePyJson, pyRepr, readPolicyText, withIdAndDate, type PyValue } from './policy-id.js';

const AT = new Date(Date.UTC(2026, 10, 25, 7, 0, 0, 123));
type P = { [type: string]: { [key: string]: PyValue } };

test('the worked examples of policies.md give the ids the real node gave', () => {
  const id = (text: string) => (withIdAndDate(readPolicyText(text), AT) as P)[Object.keys(readPolicyText(text))[0]!]!.id;
  assert.equal(id('{"cluster": {"company": "My Company", "name": "cluster-1", "status": "active"}}'), '4c323938146b4662b5c8961346322530');
  assert.equal(id('{"operator": {"name": "operator-O", "company": "My Company", "ip": "127.0.0.1", "port": 32280, "rest_port": 32281, "cluster": "4c323938146b4662b5c8961346322530"}}'), '661a6fd9374f7a02b260cfcfd1ded312');
  assert.equal(id('{"master": {"name": "master-1", "company": "My Company", "ip": "127.0.0.1", "port": 32270, "rest_port": 32271}}'), 'fe1b311819553a10fe75bf5862abe835');
  assert.equal(id('{"table": {"name": "t1", "dbms": "d1", "create": "CREATE TABLE t1 (a int)", "company": "Acme"}}'), '944748a6b6b674d0d49ce8cd5640e5c4');
  // Python repr of odd values; é is turned into a space before parsing, as EdgeLake does.
  const sensor = '{"sensor": {"name": "café", "note": "it\'s", "q": "say \\"hi\\"", "flag": true, "none": null, "ratio": 1.50, "big": 1e2, "list": [1, "a", {"k": "v"}]}}';
  assert.equal(idSource(readPolicyText(sensor)), `{'sensor': {'name': 'caf ', 'note': "it's", 'q': 'say "hi"', 'flag': True, 'none': None, 'ratio': 1.5, 'big': 100.0, 'list': [1, 'a', {'k': 'v'}]}}`);
  assert.equal(id(sensor), 'e69814ede9ce4346f3e4308d545bdb38');
});

test('a given date is kept and moved after the id; ledger follows; an existing id and date are untouched', () => {
  const gadget = withIdAndDate(readPolicyText('{"gadget": {"name": "g", "date": "2020-01-01T00:00:00.000000Z", "n": 1}}'), AT);
  assert.equal(JSON.stringify(gadget), '{"gadget":{"name":"g","n":1,"id":"aab1ce3e60393e0cb2c48e63dafe406b","date":"2020-01-01T00:00:00.000000Z"}}');
  const cluster = withIdAndDate(readPolicyText('{"cluster": {"company": "Acme", "name": "east", "date": "2020-01-01T00:00:00.000000Z", "ledger": "local", "extra": 5}}'), AT);
  assert.deepEqual(Object.keys(cluster.cluster!), ['company', 'name', 'extra', 'id', 'date', 'ledger']);
  assert.equal(cluster.cluster!.id, '3536d55ad5828ad0adeff9a85e71a4e9');
  const fresh = withIdAndDate(readPolicyText('{"x": {"a": 1}}'), AT);
  assert.equal(fresh.x!.date, '2026-11-25T07:00:00.123000Z');
  const done = { x: { a: 1, id: 'abc', date: 'd' } };
  assert.equal(withIdAndDate(done, AT), done);
});

test('every policy of the real master ledger recomputes to its stored id', () => {
  const lines = transcript('ledger-file-format.txt').split('\n').filter((l) => l.startsWith('{'));
  assert.ok(lines.length >= 25);
  for (const line of lines) {
    const policy = parsePyJson(line) as P;
    const [type] = Object.keys(policy) as [string];
    const inner = policy[type]!;
    // What was hashed: the attributes before the id (member, status, ledger were added after it).
    const keys = Object.keys(inner);
    const before = Object.fromEntries(keys.slice(0, keys.indexOf('id')).filter((k) => k !== 'date' && k !== 'ledger').map((k) => [k, inner[k]!]));
    if (Array.isArray(before.table)) before.table = before.table.map((t) => Object.fromEntries(Object.entries(t as Record<string, PyValue>).filter(([k]) => k !== 'status')));
    assert.equal(md5(idSource({ [type]: before })), inner.id, line.slice(0, 120));
  }
});

test('policy text is read as EdgeLake reads it: | for quotes, the repair pass, one root key', () => {
  assert.deepEqual(readPolicyText("{'cluster': {'name': 'x', 'ok': True,}}"), { cluster: { name: 'x', ok: true } });
  assert.deepEqual(readPolicyText('{|a|: {|b|: 1}}'), { a: { b: 1 } });
  assert.throws(() => readPolicyText('{"a": {"b": 1}, "c": {}}'), /exactly one root key/);
  assert.throws(() => readPolicyText('{"a": 5}'), /must be an object/);
  assert.throws(() => readPolicyText('{"a": {"b": }'), /not JSON/);
  assert.equal(pyRepr(parsePyJson('[1e-5, 1e16, 0.1, -0.0, 12.5e3, 0.0001, 123456.789, 1.5e300, 7]')), '[1e-05, 1e+16, 0.1, -0.0, 12500.0, 0.0001, 123456.789, 1.5e+300, 7]');
});
