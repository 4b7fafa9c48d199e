// `rest get|put|post|delete where url = .. [and <header> = <value>]... [and body = ..]` (EdgeLake member_cmd.py
// _rest_client): this node as a REST client. The answer is the reply's body (`loc_info = rest get where url =
// https://ipinfo.io/json` in the deployment scripts); keys other than url and body travel as headers
// (`command`, `User-Agent`, `destination` ...). A reply that is not 2xx, a refused connection or no answer within
// `timeout` seconds (default 20) is REST_call_err (51) naming the URL and the reason.
import type { CommandSpec } from '../command/types.js';
import { CommandError, Status } from '../core/status.js';

const METHODS = ['get', 'put', 'post', 'delete'] as const;

export function restClientCommands(): CommandSpec[] {
  return METHODS.map(
    (method): CommandSpec => ({
      key: `rest ${method}`,
      usage: `rest ${method} where url = [url] and [header] = [value] ...${method === 'get' || method === 'delete' ? '' : ' and body = [data]'}`,
      help: `Sends an HTTP ${method.toUpperCase()} to the URL and answers the reply's body; other key = value pairs travel as headers.`,
      raw: true,
      run: async (_c, inv) => {
        const tokens = inv.tokens;
        if (tokens[0]?.text !== 'where') throw new CommandError(Status.COMMAND_STRUCT, `rest ${method}: expected 'where url = <url> ...'`);
        const pairs = new Map<string, string>();
        for (let i = 1; i < tokens.length; i += 4) {
          const [k, eq, v, join] = [tokens[i], tokens[i + 1], tokens[i + 2], tokens[i + 3]];
          if (!k || eq?.text !== '=' || !v || (join && join.text !== 'and')) throw new CommandError(Status.COMMAND_STRUCT, `rest ${method}: expected 'key = value [and key = value]...' at position ${(k ?? tokens[tokens.length - 1])!.pos}`);
          pairs.set(k.text, v.text);
        }
        const url = pairs.get('url');
        if (!url) throw new CommandError(Status.COMMAND_STRUCT, `rest ${method}: missing 'url = <url>'`);
        if (!/^https?:\/\//i.test(url)) throw new CommandError(Status.COMMAND_STRUCT, `rest ${method}: '${url}' is not an http:// or https:// URL`);
        const seconds = Number(pairs.get('timeout') ?? 20);
        const body = pairs.get('body');
        const headers: Record<string, string> = {};
        for (const [k, v] of pairs) if (!['url', 'body', 'timeout'].includes(k)) headers[k] = v;
        let reply: Response;
        try {
          reply = await fetch(url, { method: method.toUpperCase(), headers, body: method === 'get' || method === 'delete' ? undefined : body, signal: AbortSignal.timeout(seconds * 1000) });
        } catch (err) {
          const e = err as Error & { cause?: { code?: string } };
          const why = e.name === 'TimeoutError' ? `no reply within ${seconds} s` : (e.cause?.code ?? e.message);
          throw new CommandError(Status.REST_CALL_ERR, `rest ${method} ${url}: ${why}`);
        }
        const text = await reply.text();
        if (!reply.ok) throw new CommandError(Status.REST_CALL_ERR, `rest ${method} ${url}: ${reply.status} ${reply.statusText}${text ? `: ${text.slice(0, 200)}` : ''}`);
        return { code: 0, output: { kind: 'text', text } };
      },
    }),
  );
}
