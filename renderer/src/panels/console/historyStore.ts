// Command history of the Console panel (UI state): Up/Down walk it like a shell.
import { create } from 'zustand';
import type { CommandReply, ScriptLine } from '../../../../shared/types';

export interface Entry {
  id: number;
  command: string;
  reply?: CommandReply;
  failure?: string;
  /** The lines of a script the command runs (process file.al), as they finish. */
  progress?: ScriptLine[];
}

interface ConsoleState {
  entries: Entry[];
  history: string[];
  cursor: number;
  add(command: string): number;
  settle(id: number, result: { reply?: CommandReply; failure?: string }): void;
  /** A script line finished while a command runs: it goes to the newest running entry. */
  progress(line: ScriptLine): void;
  older(current: string): string;
  newer(): string;
  clear(): void;
}

let nextId = 1;
const MAX_ENTRIES = 500;
/** Script lines kept per command (a long deployment script shows its last ones). */
const MAX_PROGRESS = 1000;

export const useConsole = create<ConsoleState>((set, get) => ({
  entries: [],
  history: [],
  cursor: 0,
  add: (command) => {
    const id = nextId++;
    set((s) => {
      const history = s.history[s.history.length - 1] === command ? s.history : [...s.history, command].slice(-200);
      return { entries: [...s.entries, { id, command }].slice(-MAX_ENTRIES), history, cursor: history.length };
    });
    return id;
  },
  settle: (id, result) => set((s) => ({ entries: s.entries.map((e) => (e.id === id ? { ...e, ...result } : e)) })),
  progress: (line) =>
    set((s) => {
      const running = [...s.entries].reverse().find((e) => !e.reply && !e.failure);
      if (!running) return s;
      return { entries: s.entries.map((e) => (e === running ? { ...e, progress: [...(e.progress ?? []), line].slice(-MAX_PROGRESS) } : e)) };
    }),
  older: (current) => {
    const { history, cursor } = get();
    if (history.length === 0) return current;
    const next = Math.max(0, cursor - 1);
    set({ cursor: next });
    return history[next] ?? current;
  },
  newer: () => {
    const { history, cursor } = get();
    const next = Math.min(history.length, cursor + 1);
    set({ cursor: next });
    return history[next] ?? '';
  },
  clear: () => set({ entries: [] }),
}));
