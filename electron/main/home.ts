// Where the desktop node lives: --home, then EDGELAKE_HOME, then Electron's userData folder.
import { join } from 'node:path';

export function desktopHome(flag: string | undefined, env: Record<string, string | undefined>, userData: string): string {
  return flag || env.EDGELAKE_HOME || join(userData, 'node');
}
