// Which HTTP method a command needs (rest-api.md §4; EdgeLake tcpip/http_server.py is_correct_method and its
// http_methods_ table): the first two words, then three, then one are looked up, lower-cased. A command whose
// words are not in the table is POST-only. Kept exactly, quirks included, so clients see the same 156 errors.

const HTTP_METHODS: ReadonlyMap<string, string> = new Map([
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

/** true when `method` ('get' | 'post') may carry this command. */
export function isCorrectMethod(method: 'get' | 'post', words: readonly string[]): boolean {
  const w = words.map((x) => x.toLowerCase());
  if (w.length >= 2) {
    let key = `${w[0]} ${w[1]}`;
    if (HTTP_METHODS.has(key)) {
      if (HTTP_METHODS.get(key) === method) return true;
    } else if (w.length >= 3) {
      key += ` ${w[2]}`;
      if (HTTP_METHODS.get(key) === method) return true;
    }
    const one = HTTP_METHODS.get(w[0]!);
    if (one === undefined) return method === 'post';
    return one === method || one.includes(method);
  }
  if (w.length === 1) return HTTP_METHODS.get(w[0]!) === method;
  return false;
}

/** The product of a User-Agent (`AnyLog/1.23` -> `anylog`), as EdgeLake's get_client splits it. */
export function agentProduct(userAgent: string | undefined): string {
  if (!userAgent) return '';
  return userAgent.split('/')[0]!.trim().toLowerCase();
}
