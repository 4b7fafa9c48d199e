// Which HTTP method may carry which command (rest-api.md §4; EdgeLake tcpip/http_server.py `is_correct_method`
// and its `http_methods_` table). Kept exactly, quirks included, so clients see the same 156 errors as on a real
// node: a two-word key listed for the other method still passes as POST when the first word alone is not in the
// table (`POST blockchain get operator` is accepted, `POST get status` is not).

type Allowed = 'get' | 'post' | 'get*post';

const HTTP_METHODS: ReadonlyMap<string, Allowed> = new Map<string, Allowed>([
  ['sql', 'get*post'],
  ['print', 'get*post'],
  ['help', 'get'],
  ['get', 'get'],
  ['blockchain get', 'get'],
  ['blockchain read', 'get'],
  ['blockchain drop', 'post'],
  ['query status', 'get'],
  ['query explain', 'get'],
  ['query destination', 'get'],
  ['analyze output', 'get'],
  ['time file get', 'get'],
  ['time file summary', 'get'],
  ['job status', 'get'],
  ['job active', 'get'],
  ['job run', 'post'],
  ['job stop', 'post'],
  ['file get', 'get'],
  ['file retrieve', 'get'],
  ['file to', 'get'],
  ['file from', 'get'],
  ['test', 'get'],
  ['wait', 'get*post'],
  ['subprocess', 'get*post'],
]);

/** The first `count` whitespace-separated words of a command (EdgeLake's `str_to_list(command, 3)`). */
export function firstWords(command: string, count = 3): string[] {
  return command
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .slice(0, count);
}

/** true when `method` may carry the command whose first words are `words`. */
export function isCorrectMethod(method: 'get' | 'post', words: readonly string[]): boolean {
  if (words.length === 0) return false;
  if (words.length === 1) {
    // EdgeLake compares a one-word command as typed (no lower-casing) and only for an exact match, so
    // `POST sql` alone is refused although `sql` allows both methods; harmless, kept.
    return HTTP_METHODS.get(words[0]!) === method;
  }
  const w = words.map((x) => x.toLowerCase());
  const two = `${w[0]} ${w[1]}`;
  if (HTTP_METHODS.has(two)) {
    if (HTTP_METHODS.get(two) === method) return true;
  } else if (w.length >= 3 && HTTP_METHODS.get(`${two} ${w[2]}`) === method) {
    return true;
  }
  const one = HTTP_METHODS.get(w[0]!);
  if (one === undefined) return method === 'post'; // any other command is POST-only
  return one === method || one.includes(method);
}
