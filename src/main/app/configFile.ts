/**
 * Which config file a command reads, by one rule (docs/configuration.md): `--config FILE`, else
 * the file LIVEWALL_CONFIG names, else `livewall.config.json` in the working folder, else none
 * (the defaults). A file named by the flag or the variable must exist; the working folder's may
 * be absent. Every command says on its first line which one it read, so nobody edits the wrong
 * file. (The installed app looks in its data folder instead: shell/configPath.ts.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig, type LivewallConfig } from './config';
import type { Result } from '@shared/result';

export const DEFAULT_CONFIG_FILE = 'livewall.config.json';

export interface ConfigLocation {
  path: string;
  /** Named by the flag or LIVEWALL_CONFIG: a missing file is an error, not the defaults. */
  required: boolean;
  /** What named it, for the first line. */
  from: '--config' | 'LIVEWALL_CONFIG' | 'working folder';
}

export function cliConfigLocation(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ConfigLocation {
  if (flag !== undefined) return { path: flag, required: true, from: '--config' };
  const named = env.LIVEWALL_CONFIG;
  if (named) return { path: named, required: true, from: 'LIVEWALL_CONFIG' };
  return { path: DEFAULT_CONFIG_FILE, required: false, from: 'working folder' };
}

/** The first line's words: the file read (absolute), or that there is none. */
export function configLine(where: { path: string }, exists: (path: string) => boolean): string {
  if (exists(where.path)) return `config ${resolve(where.path)}`;
  return `no config file (${resolve(where.path)} does not exist; defaults apply)`;
}

export interface LoadedConfig {
  config: LivewallConfig;
  line: string;
  where: ConfigLocation;
}

/** The config by the rule, and the line that names it (also when reading it failed). */
export function loadCliConfig(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { line: string; result: Result<LoadedConfig> } {
  const where = cliConfigLocation(flag, env);
  const line =
    where.required && !existsSync(where.path)
      ? `config ${resolve(where.path)} (named by ${where.from}) does not exist`
      : configLine(where, existsSync);
  const loaded = loadConfig(where.path, !where.required);
  return {
    line,
    result: loaded.ok ? { ok: true, value: { config: loaded.value, line, where } } : loaded,
  };
}

/**
 * Calls `onChange` when the file's text changes, appears or goes away. Its text is read once a
 * second and compared: not fs.watch (editors save by renaming a new file over the old one, which an
 * inode watch loses) and not fs.watchFile (a change within the clock tick of the last one, or
 * before its first stat, keeps size and time and is missed). A config file is small.
 */
export function watchConfigFile(
  path: string,
  onChange: () => void,
  intervalMs = 1_000,
): { close(): void } {
  const read = (): string | null => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  };
  let last = read();
  const timer = setInterval(() => {
    const text = read();
    if (text === last) return;
    last = text;
    onChange();
  }, intervalMs);
  timer.unref();
  return { close: () => clearInterval(timer) };
}
