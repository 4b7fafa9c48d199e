// EdgeLake's one-line pool summary (generic/utils_threads.py WorkersPool.get_info), shared by the REST, TCP,
// operator and query pools: `<Name> Pool with <n> threads:` padded to 60, the busy flags, the calls served.
//   TCP Pool with 6 threads:                                    [0, 0, 0, 0, 0, 0] (101)
export function poolSummary(name: string, flags: readonly boolean[], total: number): string {
  return `${name} Pool with ${flags.length} threads:`.padEnd(60) + `[${flags.map((b) => (b ? 1 : 0)).join(', ')}] (${total.toLocaleString('en-US')})`;
}

/** `size` flags, the first `busy` of them set. */
export function busyFlags(size: number, busy: number): boolean[] {
  return Array.from({ length: size }, (_, i) => i < busy);
}
