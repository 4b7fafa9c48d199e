// What the network runs (rest, peer) share: a probe that keeps asking the node a simple question while the abuse
// goes on, the survival of each abusive attempt judged by the first probe started after it ended, a bounded
// concurrency runner, and resident memory measured after a garbage collection.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

interface ProbeResult {
  started: number;
  ok: boolean;
  why?: string;
}

export class Probe {
  private readonly results: ProbeResult[] = [];
  private running: Promise<void> | undefined;
  private stopped = false;

  /** `ask` resolves when the node answered as it should, rejects with the reason otherwise. */
  constructor(
    private readonly ask: () => Promise<void>,
    private readonly everyMs = 100,
  ) {}

  start(): void {
    this.running = (async () => {
      while (!this.stopped) {
        await this.once();
        await new Promise((r) => setTimeout(r, this.everyMs));
      }
    })();
  }

  /** Stops the loop, then asks once more so that the last attempts have a probe after them. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    await this.once();
  }

  private async once(): Promise<void> {
    const started = Date.now();
    try {
      await this.ask();
      this.results.push({ started, ok: true });
    } catch (err) {
      this.results.push({ started, ok: false, why: (err as Error).message });
    }
  }

  get asked(): number {
    return this.results.length;
  }

  get failures(): string[] {
    return this.results.filter((r) => !r.ok).map((r) => r.why ?? '?');
  }

  /** Of attempts that ended at these times, how many were followed by a probe that answered. */
  survivors(endTimes: readonly number[]): number {
    let survived = 0;
    for (const end of endTimes) {
      const next = this.results.find((r) => r.started >= end) ?? this.results.at(-1);
      if (next?.ok) survived++;
    }
    return survived;
  }
}

/** Runs `work` over `count` items, at most `concurrency` at once; returns each item's end time. */
export async function bounded(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<number[]> {
  const ends: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        await work(i);
        ends.push(Date.now());
      }
    }),
  );
  return ends;
}

/** Resident set size in MB after a full garbage collection and a short settle. */
export async function settledRssMb(settleMs = 500): Promise<number> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  await new Promise((r) => setTimeout(r, settleMs));
  gc();
  return Math.round(process.memoryUsage().rss / 1024 / 1024);
}
