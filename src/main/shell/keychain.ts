/**
 * The MySQL password in the OS keychain, through Electron's safeStorage: encrypted with the
 * user's login keychain (macOS Keychain, Windows DPAPI, libsecret/kwallet on Linux) and kept in
 * the app's data folder. Main decrypts it when a burst connects; it never goes to the renderer.
 */
import { readFileSync } from 'node:fs';
import type { SafeStorage } from 'electron';
import type { PasswordSaved } from '@shared/contracts';
import type { MySqlAccount, PasswordSource } from '../mysql/password';
import { writeDurably } from '../lib/durableFile';

type Safe = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

/**
 * How safeStorage seals on this machine. On Linux without a secret service (no GNOME keyring or
 * KWallet) Chromium falls back to `basic_text`: a key built into Chromium, so the file is only
 * obscured, not protected. getSelectedStorageBackend exists on Linux only.
 */
export function sealKind(
  platform: NodeJS.Platform,
  backend: string | undefined,
): 'os-keychain' | 'fixed-key' {
  return platform === 'linux' && backend === 'basic_text' ? 'fixed-key' : 'os-keychain';
}

const accountKey = (a: MySqlAccount): string => `${a.user}@${a.host}:${a.port}`;

export class Keychain {
  constructor(
    private readonly safe: Safe,
    private readonly file: string,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  private kind(): 'os-keychain' | 'fixed-key' {
    if (this.platform !== 'linux' || typeof this.safe.getSelectedStorageBackend !== 'function') {
      return 'os-keychain';
    }
    try {
      return sealKind(this.platform, this.safe.getSelectedStorageBackend());
    } catch {
      return 'os-keychain';
    }
  }

  /** Encrypts and stores the account's password; says whether it could. */
  async save(account: MySqlAccount, password: string): Promise<PasswordSaved> {
    if (!this.safe.isEncryptionAvailable()) {
      return {
        saved: false,
        message:
          'The OS keychain is not available on this machine: set LIVEWALL_MYSQL_PASSWORD instead.',
      };
    }
    const all = this.read();
    all[accountKey(account)] = this.safe.encryptString(password).toString('base64');
    await writeDurably(this.file, JSON.stringify(all));
    if (this.kind() === 'fixed-key') {
      return {
        saved: true,
        message: `Saved for ${accountKey(account)} with a fixed key, not an OS keychain (this machine has no secret store): prefer LIVEWALL_MYSQL_PASSWORD in the app's environment.`,
      };
    }
    return { saved: true, message: `Saved in the OS keychain for ${accountKey(account)}.` };
  }

  /** A password source for the burster: the stored password of the account, if any. */
  source(): PasswordSource {
    return {
      name:
        this.kind() === 'fixed-key'
          ? 'the password saved in the app (fixed key, no OS keychain)'
          : 'the OS keychain',
      get: async (account) => {
        const sealed = this.read()[accountKey(account)];
        if (!sealed || !this.safe.isEncryptionAvailable()) return null;
        try {
          return this.safe.decryptString(Buffer.from(sealed, 'base64'));
        } catch {
          return null; // sealed by another user or machine: as if none were stored
        }
      },
    };
  }

  private read(): Record<string, string> {
    try {
      const v = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      return typeof v === 'object' && v !== null ? (v as Record<string, string>) : {};
    } catch {
      return {};
    }
  }
}
