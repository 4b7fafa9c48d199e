// A JSON reader that hands every number literal to the caller, with where it stands. JSON.parse turns each number
// into a double at once; two places need the literal itself: policies (policy-id.ts: 100.0 stays a Python float,
// as EdgeLake's ids depend on it) and the operator's rows (operator/json-numbers.ts: integers beyond 2^53 kept
// exactly, out-of-range numbers refused with their attribute named). Strict JSON otherwise; errors are
// SyntaxErrors naming the position.

/** Where a value stands in the document: attribute names and array indexes from the root. */
export type JsonPath = readonly (string | number)[];

/** A number literal the caller refuses (out of range), with where it stands; not a SyntaxError: the text is JSON. */
export class JsonNumberError extends Error {
  constructor(
    readonly literal: string,
    readonly why: string,
    readonly path: JsonPath,
  ) {
    super(`${literal.length > 40 ? `${literal.slice(0, 24)}…${literal.slice(-12)}` : literal} ${why}`);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Reads JSON text; `number(literal, path)` gives the value of each number literal (it may throw). */
export function readJson(text: string, number: (literal: string, path: JsonPath) => unknown): unknown {
  let i = 0;
  const path: (string | number)[] = [];
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${i}`);
  };
  const space = () => {
    for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++i));
  };
  const string = (): string => {
    const start = i++;
    for (let c = text.charCodeAt(i); c !== 34; c = text.charCodeAt(i)) {
      if (Number.isNaN(c)) fail('unterminated string');
      i += c === 92 ? 2 : 1;
    }
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): unknown => {
    space();
    const ch = text[i];
    if (ch === '{') {
      i++;
      const out: Record<string, unknown> = {};
      space();
      if (text[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        space();
        if (text[i] !== '"') fail('expected a key');
        const key = string();
        space();
        if (text[i++] !== ':') fail("expected ':'");
        path.push(key);
        out[key] = value();
        path.pop();
        space();
        const next = text[i++];
        if (next === '}') return out;
        if (next !== ',') fail("expected ',' or '}'");
      }
    }
    if (ch === '[') {
      i++;
      const out: unknown[] = [];
      space();
      if (text[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        path.push(out.length);
        out.push(value());
        path.pop();
        space();
        const next = text[i++];
        if (next === ']') return out;
        if (next !== ',') fail("expected ',' or ']'");
      }
    }
    if (ch === '"') return string();
    NUMBER.lastIndex = i;
    const literal = NUMBER.exec(text)?.[0];
    if (literal) {
      i += literal.length;
      return number(literal, [...path]);
    }
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    return fail('unexpected character');
  };
  const out = value();
  space();
  if (i < text.length) fail('unexpected text after the JSON value');
  return out;
}
