// The command table: leading words -> CommandSpec. Lookup takes the longest key that matches the command's
// leading words (commands.md §3); a word starting with `!` is replaced by its value for the lookup only.
import type { CommandSpec } from './types.js';

export class CommandTable {
  private readonly specs = new Map<string, CommandSpec>();
  private maxWords = 1;

  register(spec: CommandSpec): void {
    if (this.specs.has(spec.key)) throw new Error(`command '${spec.key}' registered twice`);
    this.specs.set(spec.key, spec);
    this.maxWords = Math.max(this.maxWords, spec.key.split(' ').length);
  }

  registerAll(specs: readonly CommandSpec[]): void {
    for (const spec of specs) this.register(spec);
  }

  /** The longest matching key and how many words it took, or undefined. */
  lookup(words: readonly string[]): { spec: CommandSpec; consumed: number } | undefined {
    for (let n = Math.min(this.maxWords, words.length); n > 0; n--) {
      const spec = this.specs.get(words.slice(0, n).join(' '));
      if (spec) return { spec, consumed: n };
    }
    return undefined;
  }

  get(key: string): CommandSpec | undefined {
    return this.specs.get(key);
  }

  list(): CommandSpec[] {
    return [...this.specs.values()].sort((a, b) => a.key.localeCompare(b.key));
  }
}
