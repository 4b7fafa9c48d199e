// Resource ownership in the VS Code style: whatever a service opens (socket, server, watcher, timer, child
// process) is added to its DisposableStore; stop() disposes the store, newest first. Disposing twice is a no-op,
// so stop() is idempotent by construction.

export interface Disposable {
  dispose(): void | Promise<void>;
}

export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  add<T extends Disposable>(item: T): T {
    if (this.disposed) {
      void item.dispose();
      throw new Error('DisposableStore already disposed: resource released at once');
    }
    this.items.push(item);
    return item;
  }

  /** Adds a cleanup function. */
  defer(fn: () => void | Promise<void>): void {
    this.add({ dispose: fn });
  }

  /** Releases everything, newest first; errors are collected so one failure does not leak the rest. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    while (this.items.length > 0) {
      const item = this.items.pop()!;
      try {
        await item.dispose();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'several resources failed to release');
  }
}

export function timer(handle: NodeJS.Timeout): Disposable {
  return { dispose: () => clearTimeout(handle) };
}
