// The job registry (peer-protocol.md §4.2, §6): a message this node sends carries a job location (slot) and job
// id in its header; replies come back on new connections with the same pair and the sender's receiver id. The
// registry maps that pair to the job that is waiting, and hands each reply to it as a typed message: a peer's
// printed text, an echo (an error or a short answer), a `job reply` result stream with its receiver and
// partition ids, or a `file write` stream. Replies for a job that is gone are dropped and counted by the router;
// a job its caller stopped waiting for is kept a minute as `late` so that its replies are still printed (what
// EdgeLake's console does).
import type { Block } from './codec.js';

export type ReplyForm = 'text' | 'json' | 'echo-data' | 'echo-command';

export type JobMessage =
  | { kind: 'print'; receiverId: number; from: string; text: string; json: boolean; error: number; form: ReplyForm }
  | { kind: 'echo'; receiverId: number; from: string; text: string; error: number; form: ReplyForm }
  | { kind: 'job-reply'; receiverId: number; partitionId: number; from: string; blocks: Block[] }
  | { kind: 'file-write'; receiverId: number; from: string; name: string; blocks: Block[] };

export interface Job {
  readonly slot: number;
  readonly id: number;
  readonly destinations: readonly string[];
  /** The caller stopped waiting: replies that still come are printed as they arrive. */
  late: boolean;
  /** Each reply, as it arrives. */
  deliver(message: JobMessage): void;
}

export class JobRegistry {
  private readonly jobs = new Map<string, Job>();
  private nextJobId = 1;
  private nextSlot = 1;

  /** A new job for `destinations`; `deliver` receives its replies until finish(). */
  open(destinations: readonly string[], deliver: (message: JobMessage) => void): Job {
    const slot = this.nextSlot;
    this.nextSlot = (this.nextSlot % 499) + 1;
    const id = this.nextJobId;
    this.nextJobId = (this.nextJobId % 99_999_999) + 1;
    const job: Job = { slot, id, destinations, late: false, deliver };
    this.jobs.set(`${slot}/${id}`, job);
    return job;
  }

  get(slot: number, id: number): Job | undefined {
    return id === 0 ? undefined : this.jobs.get(`${slot}/${id}`);
  }

  /** The job is done: gone now, or (late) after a minute during which its replies are still printed. */
  finish(job: Job, late: boolean): void {
    if (!late) {
      this.jobs.delete(`${job.slot}/${job.id}`);
      return;
    }
    job.late = true;
    setTimeout(() => {
      if (this.jobs.get(`${job.slot}/${job.id}`) === job) this.jobs.delete(`${job.slot}/${job.id}`);
    }, 60_000).unref();
  }

  /** Jobs waiting for replies (the Processes panel's "replies awaited"). */
  get waiting(): number {
    let n = 0;
    for (const job of this.jobs.values()) if (!job.late) n++;
    return n;
  }

  /** Every job ends (the server stops). */
  clear(): Job[] {
    const all = [...this.jobs.values()];
    this.jobs.clear();
    return all;
  }
}
