// UI state only (theme, selected panel); server state lives in react-query.
import { create } from 'zustand';

export type Theme = 'light' | 'dark';

function initialTheme(): Theme {
  const saved = localStorage.getItem('edgelake.theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

interface UiState {
  theme: Theme;
  panel: string;
  toggleTheme(): void;
  showPanel(id: string): void;
}

export const useUi = create<UiState>((set) => ({
  theme: initialTheme(),
  panel: location.hash.slice(1) || 'processes',
  toggleTheme: () =>
    set((s) => {
      const theme: Theme = s.theme === 'dark' ? 'light' : 'dark';
      localStorage.setItem('edgelake.theme', theme);
      return { theme };
    }),
  showPanel: (panel) => {
    history.replaceState(null, '', `${location.pathname}${location.search}#${panel}`);
    set({ panel });
  },
}));
