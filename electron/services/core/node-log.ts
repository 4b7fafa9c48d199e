// The node's logs, as EdgeLake keeps them (generic/process_log.py): an event log of the last 100 entries (every
// command with "(ok)" or "(Failed: <reason>)", notices) and an error log of the last 20, where an entry repeated by
// the same thread counts up instead of taking a new line; and the echo queue (`set echo queue on`), where echo
// messages wait for `get echo queue` instead of interrupting the console.
export interface LogEntry {
  id: number;
  count: number;
  thread: string;
  /** Python's time.ctime() of the last occurrence: `Sun Dec  6 04:49:13 2026` (local time). */
  time: string;
  type: string;
  text: string;
}

/** Python's time.ctime(). */
export function ctime(d: Date): string {
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getDay()]!;
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getMonth()]!;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${day} ${month} ${String(d.getDate()).padStart(2, ' ')} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${d.getFullYear()}`;
}

class Ring {
  private entries: LogEntry[] = [];
  constructor(private readonly size: number) {}

  add(entry: Omit<LogEntry, 'count'>): void {
    const last = this.entries[this.entries.length - 1];
    if (last && last.text === entry.text && last.type === entry.type && last.thread === entry.thread) {
      last.count++;
      last.time = entry.time;
      return;
    }
    this.entries.push({ ...entry, count: 1 });
    if (this.entries.length > this.size) this.entries.shift();
  }

  list(): LogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  reset(): void {
    this.entries = [];
  }
}

export class NodeLog {
  private readonly events = new Ring(100);
  private readonly errors = new Ring(20);
  private nextId = 1;
  private errorId = 0;
  private echoOn = false;
  private readonly echoes: { time: Date; text: string }[] = [];
  /** `trace level = n`: above 0 the node prints each command it runs with its outcome. */
  traceLevel = 0;
  /** `set exception traceback on`: an internal failure's detail carries its stack. */
  traceback = false;

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** An entry of the event log; an `Error` entry goes to the error log too. */
  add(type: string, text: string, thread = 'MainThread'): void {
    const time = ctime(this.now());
    this.events.add({ id: this.nextId++, thread, time, type, text });
    if (type.toLowerCase() === 'error') this.errors.add({ id: ++this.errorId, thread, time, type, text });
  }

  list(which: 'event' | 'error'): LogEntry[] {
    return (which === 'event' ? this.events : this.errors).list();
  }

  reset(which: 'event' | 'error'): void {
    (which === 'event' ? this.events : this.errors).reset();
  }

  setEchoQueue(on: boolean): void {
    this.echoOn = on;
  }

  /** Queues an echo message when the queue is on (the last 100 kept); false when it is off. */
  echo(text: string): boolean {
    if (!this.echoOn) return false;
    this.echoes.push({ time: this.now(), text });
    if (this.echoes.length > 100) this.echoes.shift();
    return true;
  }

  echoQueue(): { time: Date; text: string }[] {
    return [...this.echoes];
  }
}
