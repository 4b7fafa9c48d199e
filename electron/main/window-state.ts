// The main window's bounds and maximized flag, kept in a JSON file and restored on start, clamped to a visible
// display. Pure functions plus a tiny store: tested without Electron.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface WindowState extends Partial<Rect> {
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_STATE: WindowState = { width: 1280, height: 820, maximized: false };
const MIN = { width: 640, height: 420 };

export function parseState(text: string | undefined): WindowState {
  if (!text) return { ...DEFAULT_STATE };
  try {
    const v = JSON.parse(text) as Partial<WindowState>;
    const num = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? n : undefined);
    const width = num(v.width);
    const height = num(v.height);
    if (width === undefined || height === undefined) return { ...DEFAULT_STATE };
    return { x: num(v.x), y: num(v.y), width, height, maximized: v.maximized === true };
  } catch {
    return { ...DEFAULT_STATE };
  }
}

/** Keeps the window on a display: a window saved on a monitor that is gone comes back centred on the first one. */
export function clampToDisplays(state: WindowState, displays: readonly Rect[]): WindowState {
  const width = Math.max(MIN.width, state.width);
  const height = Math.max(MIN.height, state.height);
  const primary = displays[0];
  if (!primary) return { ...state, width, height };
  const fits = (d: Rect) =>
    state.x !== undefined && state.y !== undefined && state.x + 50 >= d.x && state.y >= d.y && state.x + 50 <= d.x + d.width && state.y + 30 <= d.y + d.height;
  const display = displays.find(fits);
  if (display) return { ...state, width: Math.min(width, display.width), height: Math.min(height, display.height) };
  const w = Math.min(width, primary.width);
  const h = Math.min(height, primary.height);
  return { x: primary.x + Math.round((primary.width - w) / 2), y: primary.y + Math.round((primary.height - h) / 2), width: w, height: h, maximized: state.maximized };
}

export class WindowStateStore {
  constructor(private readonly file: string) {}
  load(): WindowState {
    try {
      return parseState(readFileSync(this.file, 'utf8'));
    } catch {
      return { ...DEFAULT_STATE };
    }
  }
  /** Written atomically: a crash mid-write leaves the previous state whole. */
  save(state: WindowState): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, this.file);
  }
}
