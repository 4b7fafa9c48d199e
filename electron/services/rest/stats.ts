// Request counters for `get rest calls` (transcripts/get-rest-calls.txt; tcpip/http_server.py `update_stats`,
// `show_info`): per caller and per verb, the number processed, the errors, the text of the last error, the
// first and last call (local time, seconds) and the last caller's ip:port. The caller is the User-Agent product
// (`anylog`, curl counted as `anylog`), `AnyLog-V1` when the agent is missing or unknown, `url` for `/health`
// and `/api/status`. Like EdgeLake, the counters outlive `exit rest` (they belong to the node, not to one run).
import type { TableOutput } from '../../../shared/types.js';
import { tableOf } from '../command/results.js';

interface Counter {
  processed: number;
  errors: number;
  lastError: string;
  first: string;
  last: string;
  lastCaller: string;
}

/** `YYYY-MM-DD HH:MM:SS` in local time (EdgeLake's `get_current_time`). */
export function localTimestamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export const UNKNOWN_CALLER = 'AnyLog-V1';

export class RestStats {
  private readonly counters = new Map<string, Map<string, Counter>>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Counts one request; `error` is the text shown in Last Error (EdgeLake: the status text of the code). */
  record(caller: string | undefined, verb: string, from: string, error?: string): void {
    const name = caller ?? UNKNOWN_CALLER;
    let byVerb = this.counters.get(name);
    if (!byVerb) this.counters.set(name, (byVerb = new Map()));
    const now = localTimestamp(this.now());
    let c = byVerb.get(verb);
    if (!c) byVerb.set(verb, (c = { processed: 0, errors: 0, lastError: '', first: now, last: now, lastCaller: '' }));
    c.processed++;
    c.last = now;
    c.lastCaller = from;
    if (error) {
      c.errors++;
      c.lastError = error;
    }
  }

  /** The table EdgeLake prints; `connection` (e.g. `http://127.0.0.1:32281`) once a server has run. */
  table(connection: string | undefined): TableOutput {
    const rows: (string | number)[][] = [];
    for (const [caller, byVerb] of this.counters) {
      let name = caller;
      for (const [verb, c] of byVerb) {
        rows.push([name, verb, c.processed, c.errors, c.lastError, c.first, c.last, c.lastCaller]);
        name = ''; // the caller is named on its first row only
      }
    }
    const header = connection ? `Statistics for REST calls using ${connection}` : 'Statistics for REST calls';
    return tableOf(['Caller', 'Call', 'Processed', 'Errors', 'Last Error', 'First Call', 'Last Call', 'Last Caller'], rows, { header });
  }
}
