// The words of metadata commands: `k = v and ...` pairs, and dictionary references inside JSON text.
import type { Dictionary } from '../command/dictionary.js';
import type { Token } from '../command/tokenizer.js';
import { CommandError, Status } from '../core/status.js';

/** `k = v and k = v ...` as ordered pairs (values resolved; `"..."` kept as text). */
export function pairs(tokens: readonly Token[], dictionary: Dictionary, what: string): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < tokens.length; i += 4) {
    const [k, eq, v, join] = [tokens[i], tokens[i + 1], tokens[i + 2], tokens[i + 3]];
    if (!k || eq?.text !== '=' || !v || (join && join.text !== 'and')) {
      throw new CommandError(Status.COMMAND_STRUCT, `${what}: expected 'key = value [and key = value]...' at position ${(k ?? tokens[tokens.length - 1])?.pos ?? 0}`);
    }
    out.push([k.text, v.quoted ? v.text : (dictionary.resolve(v.text) ?? v.text)]);
  }
  return out;
}

/**
 * Dictionary references inside JSON text (policies.md §3 step 1): `!x` outside strings becomes its value (numbers,
 * true/false/null and JSON structures as they are, other text quoted); strings are left as they are.
 */
export function substituteJson(text: string, dictionary: Dictionary): string {
  const literal = (v: string) => (/^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)$/.test(v.trim()) || /^\s*[{[]/.test(v) ? v : JSON.stringify(v));
  return text.replace(/"(?:[^"\\]|\\.)*"|![A-Za-z_][\w.]*/g, (m) => {
    // Inside double quotes nothing is replaced, "!x" included: EdgeLake 1.4.2604 keeps `"port": "!zz.int"` and
    // `"q": "!zz"` as written (observed), which is how config policies carry '!anylog_server_port.int' until
    // `config from policy` resolves it.
    if (m.startsWith('"')) return m;
    const v = dictionary.resolve(m);
    return v === undefined ? m : literal(v);
  });
}
