// Leak checks for tests (issue 11): the handles a service can leave behind — servers and sockets, timers, file
// watchers, worker threads — counted before and after. A test takes `handles()` first, does its work, stops what
// it started, then `assert.deepEqual(await leakedHandles(before), [])`.
const KINDS = /^(TCP|Timeout|Immediate|FSEvent|StatWatcher|Worker|MessagePort|Pipe|UDP)/;

/** The open handles that a service could leak (file requests in flight are transient and not counted). */
export function handles(): string[] {
  return process.getActiveResourcesInfo().filter((r) => KINDS.test(r)).sort();
}

/** Handles in `now` beyond those in `baseline` (per kind). */
function beyond(baseline: readonly string[], now: readonly string[]): string[] {
  const left = [...baseline];
  return now.filter((r) => {
    const i = left.indexOf(r);
    if (i === -1) return true;
    left.splice(i, 1);
    return false;
  });
}

/** The handles still open beyond `baseline`, after waiting (bounded) for closed sockets and threads to leave. */
export async function leakedHandles(baseline: readonly string[], settleMs = 3000): Promise<string[]> {
  const end = Date.now() + settleMs;
  let extra = beyond(baseline, handles());
  while (Date.now() < end && extra.length > 0) {
    await new Promise((r) => setTimeout(r, 25));
    extra = beyond(baseline, handles());
  }
  return extra;
}
