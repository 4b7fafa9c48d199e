// `npm run bench:operator` (issue 4): rows per second of the operator — from files dropped into the watch
// directory until every row is queryable and every file is in tsd_info and the archive — against the raw limit
// measured in the same run: better-sqlite3 inserting the same rows with one prepared statement in one
// transaction. Target: at least 60% of the raw limit; peak RSS under 300 MB for the 100,000-row file.
import { spawnSync } from 'node:child_process';

const trial = new URL('./operator-trial.ts', import.meta.url).pathname;

function run(mode: 'raw' | 'operator', files: number, rows: number): { rows_per_s: number; peak_rss_mb: number; seconds: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', trial, mode, String(files), String(rows)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${mode} trial failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { rows_per_s: number; peak_rss_mb: number; seconds: number };
}

const raw20 = run('raw', 20, 5000);
const op20 = run('operator', 20, 5000);
const raw1 = run('raw', 1, 100_000);
const op1 = run('operator', 1, 100_000);

const ratio = (a: number, b: number) => Number((a / b).toFixed(3));
console.log(`20 files x 5,000 rows: operator ${op20.rows_per_s} rows/s, raw ${raw20.rows_per_s} rows/s, ratio ${ratio(op20.rows_per_s, raw20.rows_per_s)}, peak RSS ${op20.peak_rss_mb} MB`);
console.log(`1 file x 100,000 rows: operator ${op1.rows_per_s} rows/s, raw ${raw1.rows_per_s} rows/s, ratio ${ratio(op1.rows_per_s, raw1.rows_per_s)}, peak RSS ${op1.peak_rss_mb} MB`);
console.log(
  JSON.stringify({
    rows_per_s: op20.rows_per_s,
    raw_rows_per_s: raw20.rows_per_s,
    ratio: ratio(op20.rows_per_s, raw20.rows_per_s),
    peak_rss_mb: op20.peak_rss_mb,
    single_file_rows_per_s: op1.rows_per_s,
    single_file_raw_rows_per_s: raw1.rows_per_s,
    single_file_ratio: ratio(op1.rows_per_s, raw1.rows_per_s),
    single_file_peak_rss_mb: op1.peak_rss_mb,
  }),
);
