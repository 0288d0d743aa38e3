/**
 * Where the app reads livewall.config.json. An installed app has no meaningful working folder (a
 * desktop entry or autostart starts it in $HOME or System32), so its file lives in its data folder;
 * LIVEWALL_CONFIG names another file; a development run (not packaged) also reads the working
 * folder's file, as the CLI does.
 */
import { join } from 'node:path';

export interface ConfigLocation {
  /** The file to read. */
  path: string;
  /** Whether a missing file is an error (a named file) or means the defaults. */
  required: boolean;
}

export function appConfigLocation(s: {
  env: NodeJS.ProcessEnv;
  packaged: boolean;
  userData: string;
  exists: (path: string) => boolean;
}): ConfigLocation {
  const named = s.env.LIVEWALL_CONFIG;
  if (named) return { path: named, required: true };
  const inDataFolder = join(s.userData, 'livewall.config.json');
  if (s.packaged || s.exists(inDataFolder)) return { path: inDataFolder, required: false };
  return { path: 'livewall.config.json', required: false };
}
