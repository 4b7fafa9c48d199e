// The scheduler (commands.md §9.7): `run scheduler [id]` starts a user scheduler, `schedule ... task <command>`
// adds a repeating task, `get scheduler [id]` prints them as EdgeLake does, `exit scheduler [id]` stops one.
// A new task shows Paused / No runs until the scheduler's next wake-up (every 10 s), then runs at once (or at
// `start`) and every `time` after; Run Status keeps the last result, Counter the runs (get-scheduler-1.txt).
// EdgeLake's system scheduler 0 (`set servers ping`) belongs to the peer network and is not emulated.
import { formatTable } from '../command/format/table.js';
import type { CommandResult, CommandSource, CommandSpec } from '../command/types.js';
import type { Dictionary } from '../command/dictionary.js';
import { convertValue, parseWhere } from '../command/where.js';
import type { Token } from '../command/tokenizer.js';
import type { ProcessRegistry } from '../core/processes.js';
import { CommandError, Status, statusText } from '../core/status.js';
import { parseDate } from '../operator/dates.js';
import type { NodeService } from '../command/service.js';

export interface SchedulerDeps {
  processes: ProcessRegistry;
  dictionary: Dictionary;
  execute(text: string, source: CommandSource): Promise<CommandResult>;
  /** How often a scheduler wakes up (EdgeLake: 10 s). */
  tickMs?: number;
}

interface Task {
  id: number;
  name: string;
  command: string;
  repeatSeconds: number;
  created: Date;
  /** Epoch ms of the next run; undefined until the scheduler first sees the task. */
  next?: number | undefined;
  startAt?: number | undefined;
  counter: number;
  status: string;
  mode: 'Active' | 'Paused';
  running: boolean;
}

interface Scheduler {
  id: number;
  tasks: Task[];
  timer: NodeJS.Timeout;
}

const SCHEDULE_OPTIONS = {
  time: { type: 'int.time', required: true },
  name: { type: 'str' },
  scheduler: { type: 'int', default: 1 },
  start: { type: 'date' },
} as const;

function localTime(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}000`;
}

function repeatText(seconds: number): string {
  return `${Math.floor(seconds / 3600)}:${Math.floor(seconds / 60) % 60}:${seconds % 60}`;
}

export class SchedulerService implements NodeService {
  readonly name = 'scheduler';
  private readonly schedulers = new Map<number, Scheduler>();
  /** Tasks scheduled for a scheduler that does not run yet, by scheduler id. */
  private readonly waiting = new Map<number, Task[]>();
  private unregister: (() => void) | undefined;

  constructor(private readonly deps: SchedulerDeps) {
    deps.processes.setStartCommand('Scheduler', 'run scheduler 1');
  }

  start(id: number): void {
    if (this.schedulers.has(id)) throw new CommandError(Status.PROCESS_ALREADY_RUNNING, `Scheduler ${id} already running`);
    // Tasks scheduled before the scheduler ran wait for it (EdgeLake keeps them; the deployment scripts schedule
    // first and run the scheduler later).
    const tasks = this.waiting.get(id) ?? [];
    this.waiting.delete(id);
    const scheduler: Scheduler = { id, tasks, timer: setInterval(() => void this.wake(scheduler), this.deps.tickMs ?? 10_000) };
    this.schedulers.set(id, scheduler);
    this.unregister ??= this.deps.processes.register('Scheduler', {
      running: () => this.schedulers.size > 0,
      details: () => `Schedulers IDs in use: ${[...this.schedulers.keys()].sort().map((i) => `[${i} (${i === 0 ? 'system' : 'user'})]`).join(' ')}`,
      stopCommand: 'exit scheduler',
    });
    this.deps.processes.changed();
  }

  stopOne(id: number): void {
    const s = this.schedulers.get(id);
    if (!s) throw new CommandError(Status.PROCESS_FAILURE, `Scheduler ${id} is not running`);
    clearInterval(s.timer);
    this.schedulers.delete(id);
    if (this.schedulers.size === 0) {
      this.unregister?.();
      this.unregister = undefined;
    } else this.deps.processes.changed();
  }

  async stop(): Promise<void> {
    for (const id of [...this.schedulers.keys()]) this.stopOne(id);
  }

  /** One wake-up: new tasks get their first run time; due tasks run (one at a time per task). */
  private async wake(s: Scheduler): Promise<void> {
    const now = Date.now();
    for (const task of s.tasks) {
      if (task.next === undefined) {
        // First wake-up after `schedule`: the task becomes Active (a stopped task stays Paused).
        task.next = task.startAt ?? now;
        task.mode = 'Active';
      }
      if (task.running || task.mode === 'Paused' || task.next > now) continue;
      task.running = true;
      task.next = now + task.repeatSeconds * 1000;
      try {
        const r = await this.deps.execute(task.command, 'scheduler');
        task.status = r.code === Status.SUCCESS ? 'Success' : statusText(r.code);
      } catch (err) {
        task.status = (err as Error).message;
      } finally {
        task.counter++;
        task.running = false;
      }
    }
  }

  private addTask(tokens: readonly Token[]): void {
    const taskAt = tokens.findIndex((t) => t.text === 'task' && !t.quoted);
    if (taskAt === -1 || taskAt === tokens.length - 1) throw new CommandError(Status.COMMAND_STRUCT, "schedule needs 'task <command>' after its options");
    let optionTokens = tokens.slice(0, taskAt);
    if (optionTokens[0]?.text === 'where') optionTokens = optionTokens.slice(1);
    if (optionTokens[optionTokens.length - 1]?.text === 'and') optionTokens = optionTokens.slice(0, -1); // `... and task ...`
    const o = parseWhere(optionTokens, SCHEDULE_OPTIONS, this.deps.dictionary);
    const id = o.scheduler as number;
    const scheduler = this.schedulers.get(id) ?? { id, tasks: this.waiting.get(id) ?? [], timer: undefined as unknown as NodeJS.Timeout };
    if (!this.schedulers.has(id)) this.waiting.set(id, scheduler.tasks);
    const command = tokens.slice(taskAt + 1).map((t) => (t.quoted ? `"${t.text}"` : t.text)).join(' ');
    const name = (o.name as string | undefined) ?? command.split(' ').slice(0, 3).join(' ');
    if (scheduler.tasks.some((t) => t.name === name)) throw new CommandError(Status.COMMAND_STRUCT, `A task named '${name}' already exists in scheduler ${scheduler.id}`);
    const startAt = o.start ? new Date(`${parseDate(String(o.start)).replace(' ', 'T')}Z`).getTime() : undefined;
    scheduler.tasks.push({ id: scheduler.tasks.length + 1, name, command, repeatSeconds: o.time as number, created: new Date(), startAt, counter: 0, status: 'No runs', mode: 'Paused', running: false });
  }

  private table(s: Scheduler): string {
    const rows = s.tasks.map((t) => [t.id, t.mode, t.name, t.counter, t.status, localTime(t.created), repeatText(t.repeatSeconds), t.command]);
    return `\r\nScheduler ID:     ${s.id}\r\nScheduler Status: Running\r\nScheduled Tasks${formatTable(['ID', 'Mode', 'Name', 'Counter', 'Run Status', 'Start-Time', 'Repeat-Time', 'Task'], rows)}`;
  }

  commands(): CommandSpec[] {
    const idOf = (args: readonly string[]) => {
      if (args.length === 0) return 1;
      return convertValue('scheduler id', args[0]!, { type: 'int' }, 0) as number;
    };
    return [
      {
        key: 'run scheduler',
        usage: 'run scheduler [scheduler id]',
        help: 'Starts a user scheduler (default 1) that runs the tasks added with schedule.',
        maxArgs: 1,
        run: (_c, inv) => {
          this.start(idOf(inv.args));
          return { code: 0 };
        },
      },
      {
        key: 'schedule',
        usage: 'schedule [time = n seconds|minutes|hours|days] [and name = name] [and scheduler = id] [and start = date] task [command]',
        help: 'Adds a task to a scheduler: the command after task runs now (at the next wake-up) and every time after.',
        raw: true,
        run: (_c, inv) => {
          this.addTask(inv.tokens);
          return { code: 0 };
        },
      },
      {
        key: 'get scheduler',
        usage: 'get scheduler [scheduler id]',
        help: 'The schedulers and their tasks: runs, last result, start and repeat time.',
        maxArgs: 1,
        run: (_c, inv) => {
          const ids = inv.args.length ? [idOf(inv.args)] : [...this.schedulers.keys()].sort();
          const found = ids.map((id) => this.schedulers.get(id)).filter((s): s is Scheduler => s !== undefined);
          if (found.length === 0) return { code: 0, output: { kind: 'text', text: inv.args.length ? `Scheduler ${ids[0]} is not running` : 'No scheduler is running' } };
          return { code: 0, output: { kind: 'text', text: found.map((s) => this.table(s)).join('\r\n') } };
        },
      },
      ...(['stop', 'run', 'remove', 'init'] as const).map(
        (action): CommandSpec => ({
          key: `task ${action}`,
          usage: `task ${action} where scheduler = [scheduler id] and name = [task name]`,
          help: { stop: 'Pauses a task.', run: 'Runs a task at the next wake-up (and resumes it).', remove: 'Removes a task.', init: 'Resets a task: counter 0, runs again at the next wake-up.' }[action],
          maxArgs: 0,
          where: { scheduler: { type: 'int', default: 1 }, name: { type: 'str', required: true } },
          run: (_c, inv) => {
            const s = this.schedulers.get(inv.options.scheduler as number);
            const task = s?.tasks.find((t) => t.name === inv.options.name);
            if (!s || !task) throw new CommandError(Status.PROCESS_FAILURE, `No task '${String(inv.options.name)}' in scheduler ${String(inv.options.scheduler)}`);
            if (action === 'remove') s.tasks.splice(s.tasks.indexOf(task), 1);
            else if (action === 'stop') task.mode = 'Paused';
            else {
              if (action === 'init') {
                task.counter = 0;
                task.status = 'No runs';
              }
              task.mode = 'Active';
              task.next = Date.now();
            }
            return { code: 0 };
          },
        }),
      ),
      {
        key: 'exit scheduler',
        usage: 'exit scheduler [scheduler id]',
        help: 'Stops a scheduler (all of them without an id).',
        maxArgs: 1,
        run: async (_c, inv) => {
          if (inv.args.length) this.stopOne(idOf(inv.args));
          else await this.stop();
          return { code: 0 };
        },
      },
    ];
  }
}
