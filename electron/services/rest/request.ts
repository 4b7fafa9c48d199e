// Reading a REST request the way EdgeLake reads it (rest-api.md §2-§5; tcpip/http_server.py `set_al_headers`,
// `get_client`, `header_from_raw_requestline`, `get_info_from_url`, `get_msg_body_cmds`, `get_timeout`,
// `prepare_commands`). Pure functions over strings: the listener and the request flow live elsewhere.

/** Request headers as EdgeLake keeps them: names lower-cased and trimmed, values trimmed, the last one wins. */
export type RestHeaders = Record<string, string>;

/**
 * Bytes to text: UTF-8 when the bytes are valid UTF-8, else ISO-8859-1. EdgeLake decodes everything as
 * ISO-8859-1, which turns UTF-8 text from any modern client into mojibake; valid UTF-8 is kept as meant.
 */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return Buffer.from(bytes).toString('latin1');
  }
}

/**
 * Builds the header map from Node's `rawHeaders` ([name, value, name, value, ...]); Node hands values over as
 * ISO-8859-1 text, re-read here with decodeText.
 */
export function normalizeHeaders(rawHeaders: readonly string[]): RestHeaders {
  const headers: RestHeaders = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    headers[rawHeaders[i]!.trim().toLowerCase()] = decodeText(Buffer.from(rawHeaders[i + 1]!, 'latin1')).trim();
  }
  return withAgentOverride(headers);
}

/** `anylog-agent` replaces `User-Agent` (for browsers that cannot set it). */
export function withAgentOverride(headers: RestHeaders): RestHeaders {
  if (headers['anylog-agent'] !== undefined) headers['user-agent'] = headers['anylog-agent'];
  return headers;
}

/** Products the server knows: `anylog` runs commands, `grafana` speaks the Grafana JSON-datasource protocol. */
export type Product = 'anylog' | 'grafana';

export interface Client {
  /** undefined: no agent, or an agent EdgeLake does not know (counted as `AnyLog-V1`). */
  product: Product | undefined;
  /** The agent was curl's own (`curl/x.y`): treated as `anylog`. */
  curl: boolean;
}

/** EdgeLake's `get_client`: the part of User-Agent before the first `/`, lower-cased and trimmed. */
export function parseAgent(userAgent: string | undefined): Client {
  if (!userAgent) return { product: undefined, curl: false };
  const slash = userAgent.indexOf('/');
  if (slash === 0) return { product: undefined, curl: false };
  const name = (slash === -1 ? userAgent : userAgent.slice(0, slash)).trim().toLowerCase();
  if (name === 'anylog' || name === 'grafana') return { product: name, curl: false };
  if (name === 'curl') return { product: 'anylog', curl: true };
  return { product: undefined, curl: false };
}

/** The paths answered without a command (`get_info_from_url`; EdgeLake tests the prefix). */
export function urlRoute(path: string): '/health' | '/api/status' | undefined {
  if (path.startsWith('/health')) return '/health';
  if (path.startsWith('/api/status')) return '/api/status';
  return undefined;
}

/** Python's `unquote`: %XX sequences decoded as UTF-8; malformed sequences are left as they are. */
export function unquote(text: string): string {
  return text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    const bytes = Buffer.from(run.replace(/%/g, ''), 'hex');
    return bytes.toString('utf8');
  });
}

/**
 * Headers placed in the URL: `/?User-Agent=AnyLog/1.23?command=get%20status` (`header_from_raw_requestline`).
 * Returns undefined when the URL has no `?`, the pairs, or the error EdgeLake reports for a pair without a key or
 * a value. EdgeLake percent-decodes the whole line before splitting at `?`; we split first, so an encoded `%3F`
 * stays inside its value instead of starting a new pair.
 */
export function urlFormHeaders(url: string): { pairs: [string, string][] } | { error: string } | undefined {
  const at = url.indexOf('?');
  if (at === -1) return undefined;
  const pairs: [string, string][] = [];
  for (const raw of url.slice(at + 1).split('?')) {
    const pair = unquote(raw);
    if (pair === '' || pair === ' ') continue;
    const eq = pair.indexOf('=');
    if (eq < 1 || eq === pair.length - 1) return { error: `Error in header value ${pair}` };
    pairs.push([pair.slice(0, eq).trim().toLowerCase(), pair.slice(eq + 1).trim()]);
  }
  return { pairs };
}

/** A command of the POST body, numbered as EdgeLake numbers them in `Error with command #<n> in the message body`. */
export interface BodyCommand {
  number: number;
  text: string;
}

/**
 * The commands of a POST body (rest-api.md §5): one per line, or a `<...>` block spanning lines (joined with
 * spaces, as the CLI joins blocks). Blank lines are skipped but keep their number.
 * Fixed EdgeLake bug (`get_msg_body_cmds`): a last line without a trailing newline was stored in the wrong shape
 * and only its first character ran (`a = 1\nb = 2` ran `a = 1` and `b`); here the whole line runs.
 * Also different on purpose: EdgeLake deletes tabs (`a\t=\t1` became `a=1`); we treat them as spaces. A block
 * ends on a line ending with `>` (the CLI rule) rather than on the first `>`, so a `>` inside a command survives.
 */
export function bodyCommands(body: string): BodyCommand[] {
  const out: BodyCommand[] = [];
  let block: string[] | undefined;
  let number = 0;
  for (const raw of body.replace(/\r/g, '').replace(/\t/g, ' ').split('\n')) {
    const line = raw.trim();
    if (block) {
      block.push(line);
      if (line.endsWith('>')) {
        out.push({ number, text: block.join(' ').slice(1, -1).trim() });
        block = undefined;
      }
      continue;
    }
    number++;
    if (line.startsWith('<')) {
      block = [line];
      if (line.length > 1 && line.endsWith('>')) {
        out.push({ number, text: line.slice(1, -1).trim() });
        block = undefined;
      }
    } else if (line !== '') {
      out.push({ number, text: line });
    }
  }
  if (block) out.push({ number, text: block.join(' ').slice(1).trim() }); // an unclosed block runs as written
  return out;
}

const TIME_UNITS: Record<string, number> = {
  second: 1,
  seconds: 1,
  minute: 60,
  minutes: 60,
  hour: 3600,
  hours: 3600,
  day: 86400,
  days: 86400,
};

/** EdgeLake's `time_to_seconds`: `<n> [second(s)|minute(s)|hour(s)|day(s)]`; undefined when malformed or negative. */
export function timeToSeconds(counter: string, unit = 'seconds'): number | undefined {
  const factor = TIME_UNITS[unit.toLowerCase()];
  if (factor === undefined || !/^\d+$/.test(counter)) return undefined;
  return Number(counter) * factor;
}

/** The `timeout` header (`get_timeout`): seconds, or `<n> <unit>`. */
export function parseTimeoutHeader(value: string | undefined): { seconds: number } | { error: string } | undefined {
  if (value === undefined || value === '') return undefined;
  const [counter, unit, ...extra] = value.split(/\s+/);
  const seconds = extra.length === 0 ? timeToSeconds(counter!, unit) : undefined;
  if (seconds === undefined) return { error: `The 'timeout' header '${value}' is not a time: use seconds or '<n> seconds|minutes|hours|days'` };
  return { seconds };
}

/**
 * A local `sql` select is streamed (chunked) and typed `text/json` unless `format = table` (`prepare_commands`):
 * the statement starts at `select ` preceded by a space or a quote, somewhere after `sql <dbms>`.
 */
export function sqlSelect(command: string): { select: boolean; table: boolean } {
  const words = command.trim().split(/\s+/);
  if (words[0] !== 'sql') return { select: false, table: false };
  const lower = command.trim().slice(4).toLowerCase();
  const at = lower.indexOf('select ', 4);
  if (at <= 0 || (lower[at - 1] !== ' ' && lower[at - 1] !== '"')) return { select: false, table: false };
  const format = /\bformat\s*=\s*([a-z]+)/.exec(lower.slice(0, at));
  return { select: true, table: format?.[1] === 'table' };
}

/** A dictionary key the `assignment` header may name (`x`, `my.key`, `a_1`). */
export function isAssignmentName(name: string): boolean {
  return /^[A-Za-z_][\w.-]*$/.test(name);
}
