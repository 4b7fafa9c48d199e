// One writer at a time per database: the operator's write turns, handed out in request order to the in-process
// ingestor and to the ingestion workers (see IngestDeps.exclusive). Different databases are different SQLite
// files with their own locks, so their turns are independent.
export class WriteTurns {
  private readonly tails = new Map<string, Promise<void>>();

  /** Waits for the turn on `dbms`; the returned function ends it (a second call does nothing). */
  take(dbms: string): Promise<() => void> {
    const tail = this.tails.get(dbms) ?? Promise.resolve();
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const granted = tail.then(() => {
      let done = false;
      return () => {
        if (!done) {
          done = true;
          end();
        }
      };
    });
    const next = tail.then(() => ended);
    this.tails.set(dbms, next);
    // The chain is dropped when it ends idle, so the map does not grow with every database ever written.
    void next.then(() => this.tails.get(dbms) === next && this.tails.delete(dbms));
    return granted;
  }

  async run<T>(dbms: string, fn: () => Promise<T>): Promise<T> {
    const end = await this.take(dbms);
    try {
      return await fn();
    } finally {
      end();
    }
  }
}
