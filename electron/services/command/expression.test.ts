// `python <expr>` as the deployment scripts use it, and the quote inside a word that carries it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateExpression, pyStr, pythonSource } from './expression.js';
import { tokenize } from './tokenizer.js';

test('string methods, indexing and slices of the deployment scripts', () => {
  assert.equal(evaluateExpression('"EdgeLake Version: 1.4.2604".split(" ")[0]'), 'EdgeLake');
  assert.equal(evaluateExpression('"localhost:32048".split(":")[0]'), 'localhost');
  assert.equal(evaluateExpression('" my opcua-1 ".strip().replace(" ", "_").replace("-", "_") + "_client.al"'), 'my_opcua_1_client.al');
  assert.equal(evaluateExpression('"opc.tcp://10.0.0.1:4840".strip().split("//")[-1].replace(".", "_")'), '10_0_0_1:4840');
  assert.equal(evaluateExpression('int("3") + int("4")'), 7);
  assert.equal(evaluateExpression('"abcdef"[1:3] + "abcdef"[-2:]'), 'bcef');
  assert.equal(evaluateExpression('len("a b c".split())'), 3);
  assert.equal(pyStr(evaluateExpression('"a,b".split(",")')), "['a', 'b']");
  assert.equal(evaluateExpression('"AnyLog".lower() == "anylog"'), true);
});

test('errors name what is wrong and where', () => {
  assert.throws(() => evaluateExpression('"a".split(":")[3]'), /Index 3 at position 15 is out of range \(length 1\)/);
  assert.throws(() => evaluateExpression('__import__("os")'), /Unsupported function '__import__'/);
  assert.throws(() => evaluateExpression('"a".format()'), /Unsupported method '\.format\(\)'/);
  assert.throws(() => evaluateExpression('int("x1")'), /int\(\) at position 1: 'x1' is not an integer/);
});

test('a quote inside a word stays in the word, and !x inside it becomes a string literal', () => {
  const tokens = tokenize('deployment_type = python !version.split(" ")[0]');
  assert.deepEqual(tokens.map((t) => t.text), ['deployment_type', '=', 'python', '!version.split(" ")[0]']);
  const source = pythonSource(tokens.slice(3), (ref) => (ref === '!version' ? 'EdgeLake Version: 1.4.2604' : undefined));
  assert.equal(source, '"EdgeLake Version: 1.4.2604".split(" ")[0]');
  assert.equal(pythonSource(tokenize('int(!a) + int(!b)'), (ref) => ({ '!a': '2', '!b': '3' })[ref]), 'int(2) + int(3)');
});
