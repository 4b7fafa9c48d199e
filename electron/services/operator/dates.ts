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
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/.exec(t);
  if (m) {
    const [y, mo, d, h = 0, mi = 0, sec = 0] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x))) as number[];
    const days = new Date(Date.UTC(y!, mo!, 0)).getUTCDate();
    // A date that does not exist (2026-13-45, 24:00) is refused: read as text it would compare as no filter at all.
    if (mo! < 1 || mo! > 12 || d! < 1 || d! > days || h > 23 || mi > 59 || sec > 59) {
      throw new CommandError(Status.COMMAND_STRUCT, `'${text}' is not a date: month ${mo}, day ${d}${m[4] ? `, time ${m[4]}:${m[5]}` : ''} do not exist`);
    }
    return t;
  }
  throw new CommandError(Status.COMMAND_STRUCT, `'${text}' is not a date: use YYYY-MM-DD [HH:MM:SS], now(), or an offset such as -3d, -2h, -30m`);
}
