// What the machine is doing, measured now (EdgeLake's psutil-based commands; the monitoring scripts of the
// deployment read them): get disk usage|percentage <path>, get cpu usage, get memory info, get platform info,
// get datetime local|utc now(), get node info cpu_percent | net_io_counters <field>. Outputs as EdgeLake 1.4.2604
// prints them (observed), except where it mislabels: its memory figures are kilobytes printed as "MB"; ours say KB.
import { statfs } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { cpus, freemem, hostname, machine, totalmem, type as osType, version } from 'node:os';
import { tableResult } from '../command/results.js';
import type { CommandResult, CommandSpec } from '../command/types.js';
import { CommandError, Status } from '../core/status.js';

const text = (t: string): CommandResult => ({ code: 0, output: { kind: 'text', text: t } });

/** Python's shutil.disk_usage. */
async function diskUsage(path: string): Promise<{ total: number; used: number; free: number }> {
  try {
    const s = await statfs(path);
    return { total: s.blocks * s.bsize, used: (s.blocks - s.bfree) * s.bsize, free: s.bavail * s.bsize };
  } catch (err) {
    throw new CommandError(Status.DIR_DOES_NOT_EXIST, `'${path}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Busy percent of each core over `ms` (psutil.cpu_percent(percpu=True) over an interval). */
async function cpuPercents(ms = 200): Promise<number[]> {
  const sample = () => cpus().map((c) => ({ idle: c.times.idle, total: c.times.user + c.times.nice + c.times.sys + c.times.idle + c.times.irq }));
  const a = sample();
  await new Promise((r) => setTimeout(r, ms));
  const b = sample();
  return b.map((x, i) => {
    const total = x.total - a[i]!.total;
    return total > 0 ? Math.round(1000 * (1 - (x.idle - a[i]!.idle) / total)) / 10 : 0;
  });
}

/** /proc/meminfo in kB (Linux); elsewhere what Node knows. */
async function memory(): Promise<{ total: number; available: number; used: number; free: number }> {
  try {
    const info = Object.fromEntries((await readFile('/proc/meminfo', 'utf8')).split('\n').map((l) => /^(\w+):\s+(\d+)/.exec(l)).filter((m) => m).map((m) => [m![1]!, Number(m![2])]));
    const total = info.MemTotal!;
    const free = info.MemFree!;
    return { total, available: info.MemAvailable ?? free, free, used: total - free - (info.Buffers ?? 0) - (info.Cached ?? 0) - (info.SReclaimable ?? 0) };
  } catch {
    const total = Math.round(totalmem() / 1024);
    const free = Math.round(freemem() / 1024);
    return { total, available: free, free, used: total - free };
  }
}

/** psutil.net_io_counters() summed over the interfaces (Linux /proc/net/dev). */
async function netCounters(): Promise<Record<string, number>> {
  const out = { bytes_recv: 0, packets_recv: 0, errin: 0, dropin: 0, bytes_sent: 0, packets_sent: 0, errout: 0, dropout: 0 };
  const lines = (await readFile('/proc/net/dev', 'utf8').catch(() => '')).split('\n').slice(2);
  for (const line of lines) {
    const [, rest] = line.split(':');
    if (!rest) continue;
    const f = rest.trim().split(/\s+/).map(Number);
    out.bytes_recv += f[0]!;
    out.packets_recv += f[1]!;
    out.errin += f[2]!;
    out.dropin += f[3]!;
    out.bytes_sent += f[8]!;
    out.packets_sent += f[9]!;
    out.errout += f[10]!;
    out.dropout += f[11]!;
  }
  return out;
}

/** The cores' mean busy percent, to one decimal (get cpu usage's Average, get node info cpu_percent). */
const average = (percents: number[]) => Math.round((10 * percents.reduce((a, b) => a + b, 0)) / percents.length) / 10;

const pad2 = (n: number, w = 2) => String(n).padStart(w, '0');

/** Python's str(datetime): `2026-12-06 06:27:02.185907`. */
export function pyDatetime(d: Date, utc: boolean): string {
  const [y, mo, da, h, mi, s, ms] = utc
    ? [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()]
    : [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds()];
  return `${y}-${pad2(mo)}-${pad2(da)} ${pad2(h)}:${pad2(mi)}:${pad2(s)}.${pad2(ms * 1000, 6)}`;
}

export function machineCommands(): CommandSpec[] {
  const kb = (n: number) => `${n.toLocaleString('en-US')}KB`;
  return [
    {
      key: 'get disk usage',
      usage: 'get disk usage [path]',
      help: 'Total, used and free bytes of the disk that holds the path.',
      minArgs: 1,
      maxArgs: 1,
      run: async (_c, inv) => {
        const u = await diskUsage(inv.args[0]!);
        return text(`usage(total=${u.total}, used=${u.used}, free=${u.free})`);
      },
    },
    {
      key: 'get disk percentage',
      usage: 'get disk percentage [path]',
      help: 'The free space of the disk that holds the path, in percent (EdgeLake prints free, not used).',
      minArgs: 1,
      maxArgs: 1,
      run: async (_c, inv) => {
        const u = await diskUsage(inv.args[0]!);
        return text((Math.round((10000 * u.free) / u.total) / 100).toString());
      },
    },
    {
      key: 'get cpu usage',
      usage: 'get cpu usage',
      help: 'The busy percent of each core, and their average, measured over a fifth of a second.',
      keyOnly: true,
      run: async () => {
        const p = await cpuPercents();
        return tableResult([...p.map((_, i) => `Core ${i + 1}`), 'Average'], [[...p.map((x) => x.toFixed(1)), average(p).toFixed(1)]]);
      },
    },
    {
      key: 'get memory info',
      usage: 'get memory info',
      help: "The machine's memory: total, available, used and free.",
      keyOnly: true,
      run: async () => {
        const m = await memory();
        return text(`\r\nTotal:     ${kb(m.total)}\r\nAvailable: ${kb(m.available)}\r\nUsed:      ${kb(m.used)}\r\nFree:      ${kb(m.free)}\r\n`);
      },
    },
    {
      key: 'get platform info',
      usage: 'get platform info',
      help: 'The operating system, its version, the host name, the machine and the processor.',
      keyOnly: true,
      run: () => text(`\r\nSystem:    ${osType()}\r\nVersion:   ${version()}\r\nNode:      ${hostname()}\r\nMachine:   ${machine()}\r\nProcessor: ${cpus()[0]?.model ?? ''}\r\n`),
    },
    {
      key: 'get datetime',
      usage: 'get datetime [local/utc] now()',
      help: 'The current date and time, local or UTC.',
      minArgs: 2,
      maxArgs: 2,
      run: (_c, inv) => {
        const [zone, when] = inv.args as [string, string];
        if ((zone !== 'local' && zone !== 'utc') || when !== 'now()') throw new CommandError(Status.COMMAND_STRUCT, "usage: get datetime local now() | get datetime utc now()");
        return text(pyDatetime(new Date(), zone === 'utc'));
      },
    },
    {
      key: 'get node info',
      usage: 'get node info [cpu_percent | net_io_counters [field]]',
      help: 'A measure of the node: cpu_percent, or the network counters (bytes_sent, packets_recv, errin ...).',
      minArgs: 1,
      maxArgs: 2,
      run: async (_c, inv) => {
        const [what, field] = inv.args as [string, string | undefined];
        if (what === 'cpu_percent') {
          return text(average(await cpuPercents()).toString());
        }
        if (what === 'net_io_counters') {
          const c = await netCounters();
          if (field === undefined) return { code: 0, output: { kind: 'json', value: c } };
          if (!(field in c)) throw new CommandError(Status.COMMAND_STRUCT, `net_io_counters has no '${field}' (${Object.keys(c).join(', ')})`);
          return text(String(c[field]));
        }
        throw new CommandError(Status.COMMAND_STRUCT, `get node info ${what}: use cpu_percent or net_io_counters [field]`);
      },
    },
  ];
}
