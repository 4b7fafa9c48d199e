// Joins console input lines into commands: a line starting with `<` opens a block that ends on a line ending
// with `>`; the lines are joined with single spaces and the outer `<` `>` removed (commands.md §1).

export class BlockAccumulator {
  private lines: string[] | undefined;

  /** Feeds one input line; returns a complete command, or undefined while a block is open. */
  push(line: string): string | undefined {
    const trimmed = line.trim();
    if (this.lines === undefined) {
      if (!trimmed.startsWith('<')) return line;
      this.lines = [];
    }
    this.lines.push(trimmed);
    if (!trimmed.endsWith('>')) return undefined;
    const joined = this.lines.join(' ');
    this.lines = undefined;
    return joined.slice(1, -1).trim();
  }

  get open(): boolean {
    return this.lines !== undefined;
  }
}
