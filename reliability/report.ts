// The figures every reliability run prints (issue 10): what was tried, what the node survived, and what went
// wrong with the data. The last line a run prints is one JSON object of these figures; run.ts collects them.
//   tried        inputs, kills or connections thrown at the node
//   survived     of those, the ones after which the node was up and answered (a kill counts as survived when the
//                restarted node finished the work)
//   lost         rows (or requests) that should have landed and did not
//   duplicated   rows stored more than once
//   unaccounted  files or connections in no final place (not ingested, not in the error directory with a reason,
//                still in the watch directory, temp files left, a pool slot still held, a socket still open)
//   unclear      errors whose reason does not name the problem (the file, the limit, the attribute)
export interface Figures {
  name: string;
  tried: number;
  survived: number;
  lost: number;
  duplicated: number;
  unaccounted: number;
  unclear: number;
  /** Free text: what was measured beside (RSS before/after, seconds), shown under the table. */
  notes?: string[];
}

/** A run passes when the node survived everything and nothing was lost, doubled, unaccounted or unclear. */
export function passed(f: Figures): boolean {
  return f.survived === f.tried && f.lost === 0 && f.duplicated === 0 && f.unaccounted === 0 && f.unclear === 0;
}

/** Prints the figures as the run's last line (run.ts reads it). */
export function report(f: Figures): void {
  console.log(JSON.stringify(f));
}

/** `--short`: the few-iteration version `npm test` runs. */
export const SHORT = process.argv.includes('--short');
