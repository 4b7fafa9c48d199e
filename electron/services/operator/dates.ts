// Date values of `where` clauses (commands.md §5 type `date`): `YYYY-MM-DD[ HH:MM:SS]`, offsets from now such as
// `-3d`, `-2h`, `-30m`, `+1d`, and `now()`. Returned as UTC `YYYY-MM-DD HH:MM:SS.ffffff`, the tsd_info form.
import { CommandError, Status } from '../core/status.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function tsdTimeText(d: Date): string {
  return d.toISOString().replace('T', ' ').replace(/\.(\d{3})Z$/, '.$1000');
}

export function parseDate(text: string, now = new Date()): string {
  const t = text.trim();
  if (t === 'now()' || t === 'now') return tsdTimeText(now);
  const rel = /^([+-])(\d+)\s*([smhdw])$/i.exec(t);
  if (rel) {
    const ms = Number(rel[2]) * UNIT_MS[rel[3]!.toLowerCase()]!;
    return tsdTimeText(new Date(now.getTime() + (rel[1] === '-' ? -ms : ms)));
  }
  if (/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(t)) return t;
  throw new CommandError(Status.COMMAND_STRUCT, `'${text}' is not a date: use YYYY-MM-DD [HH:MM:SS], now(), or an offset such as -3d, -2h, -30m`);
}
