// The REST server's workers pool (`threads = n`, default 5): at most n requests are processed at once, the
// others wait their turn in arrival order, as EdgeLake's worker threads take requests from one queue. Each slot
// counts the requests it served, for `get rest pool` (generic/utils_threads.py `WorkersPool.get_info`):
//   REST Pool with 3 threads:<padded to 60>[0, 1, 0] (7)              (1 = busy, total calls with thousands commas)
//   where details = true: a table Thread / Status / Calls / Percentage under `REST Pool:`.
// A waiter whose client went away leaves the queue (its signal aborts), so a slot is never handed to a request
// nobody waits for.
import type { TableOutput } from '../../../shared/types.js';
import { poolSummary } from '../command/format/pool.js';
import { tableOf } from '../command/results.js';

export class WorkersPool {
  private readonly busy: boolean[];
  private readonly calls: number[];
  private readonly waiting: ((slot: number | undefined) => void)[] = [];
  private closed = false;

  constructor(
    readonly size: number,
    /** `REST` or `Query`: the pool's name in its summary line. */
    private readonly label = 'REST',
  ) {
    this.busy = Array<boolean>(size).fill(false);
    this.calls = Array<number>(size).fill(0);
  }

  /**
   * Waits for a free slot; undefined when the pool was closed meanwhile (the server stopped) or `signal` aborted
   * (the client went away): the request then leaves the queue without taking a slot.
   */
  acquire(signal?: AbortSignal): Promise<number | undefined> {
    if (this.closed || signal?.aborted) return Promise.resolve(undefined);
    const free = this.busy.indexOf(false);
    if (free !== -1) return Promise.resolve(this.take(free));
    return new Promise((resolve) => {
      const waiter = (slot: number | undefined) => {
        signal?.removeEventListener('abort', leave);
        resolve(slot);
      };
      const leave = () => {
        const at = this.waiting.indexOf(waiter);
        if (at !== -1) this.waiting.splice(at, 1);
        resolve(undefined);
      };
      signal?.addEventListener('abort', leave, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Slots held now. */
  get inUse(): number {
    return this.busy.filter(Boolean).length;
  }

  release(slot: number): void {
    const next = this.waiting.shift();
    if (next && !this.closed) next(this.take(slot, true));
    else this.busy[slot] = false;
  }

  /** Refuses new work and wakes every waiter with undefined. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter(undefined);
  }

  private take(slot: number, alreadyBusy = false): number {
    if (!alreadyBusy) this.busy[slot] = true;
    this.calls[slot]!++;
    return slot;
  }

  get total(): number {
    return this.calls.reduce((a, b) => a + b, 0);
  }

  resetCounters(): void {
    this.calls.fill(0);
  }

  /** The one-line summary of `get rest pool`. */
  summary(): string {
    return poolSummary(this.label, this.busy, this.total);
  }

  /** `get rest pool where details = true`: one row per thread, the last percentage absorbing the rounding. */
  details(): TableOutput {
    const total = this.total;
    let sum = 0;
    const rows = this.calls.map((calls, i) => {
      let percent = 0;
      if (total) {
        percent = i < this.size - 1 ? Math.trunc((calls * 100) / total) : 100 - sum;
        sum += percent;
      }
      return [i, this.busy[i] ? 1 : 0, calls, percent];
    });
    return tableOf(['Thread', 'Status', 'Calls', 'Percentage'], rows, { header: `${this.label} Pool:` });
  }
}
