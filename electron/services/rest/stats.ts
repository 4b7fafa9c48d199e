// Request counters for `get rest calls` (transcripts/get-rest-calls.txt): per caller (User-Agent product, or
// `AnyLog-V1` when none was sent, `url` for commands in the URL) and per verb: processed, errors, last error text,
// first and last call time, last caller address.
import { formatTable } from '../command/format/table.js';

interface Counter {
  processed: number;
  errors: number;
  lastError: string;
  first: Date;
  last: Date;
  lastCaller: string;
}

export function timestamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export class RestStats {
  private readonly counters = new Map<string, Map<string, Counter>>();

  record(caller: string, verb: string, from: string, error?: string): void {
    let byVerb = this.counters.get(caller);
    if (!byVerb) this.counters.set(caller, (byVerb = new Map()));
    const now = new Date();
    let c = byVerb.get(verb);
    if (!c) byVerb.set(verb, (c = { processed: 0, errors: 0, lastError: '', first: now, last: now, lastCaller: from }));
    c.processed++;
    c.last = now;
    c.lastCaller = from;
    if (error) {
      c.errors++;
      c.lastError = error;
    }
  }

  get total(): number {
    let n = 0;
    for (const byVerb of this.counters.values()) for (const c of byVerb.values()) n += c.processed;
    return n;
  }

  table(url: string): string {
    const rows: (string | number)[][] = [];
    for (const [caller, byVerb] of this.counters) {
      let firstRow = true;
      for (const [verb, c] of byVerb) {
        rows.push([firstRow ? caller : '', verb, c.processed, c.errors, c.lastError, timestamp(c.first), timestamp(c.last), c.lastCaller]);
        firstRow = false;
      }
    }
    const columns = ['Caller', 'Call', 'Processed', 'Errors', 'Last Error', 'First Call', 'Last Call', 'Last Caller'];
    return formatTable(columns, rows, { header: `Statistics for REST calls using ${url}` });
  }
}
