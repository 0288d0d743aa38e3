// Types of scripts/ensure-electron.mjs (plain JavaScript, so it runs before anything is built).

export interface ElectronBinaryFacts {
  /** ELECTRON_EXEC_PATH, which electron-vite uses instead of path.txt when set. */
  execPath?: string | undefined;
  execPathExists: boolean;
  /** node_modules/electron/package.json's version. */
  packageVersion: string;
  /** node_modules/electron/path.txt, or null when missing. */
  pathTxt: string | null;
  /** node_modules/electron/dist/version, or null when missing. */
  distVersion: string | null;
  /** Whether dist/<path.txt> exists. */
  executableExists: boolean;
}

export type ElectronBinaryState = 'ready' | 'download' | 'exec-path-missing';

export function electronBinaryState(facts: ElectronBinaryFacts): ElectronBinaryState;
export function failureReason(output: string): string;
export function downloadFailedMessage(reason: string): string;
