/**
 * Asks for a MySQL password on the terminal, echoing nothing, as the mysql client does with -p.
 * Only offered when stdin and stderr are a terminal: in scripts and CI the environment is the way.
 */
import type { AccountRole, MySqlAccount, PasswordSource } from './password';
import { accountPasswordSources } from './secretPassword';
import type { AwsSettings } from '../kinesis/settings';

export function ttyPasswordSource(
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WriteStream = process.stderr,
): PasswordSource | null {
  if (!input.isTTY || !output.isTTY) return null;
  return {
    name: 'the terminal prompt',
    interactive: true,
    get: (account) => prompt(account, input, output),
  };
}

/**
 * The sources of a command-line run for one account: its variable, its secret (when one is
 * named), the client's own variable, then a prompt when on a terminal.
 */
export function cliPasswordSources(
  role: AccountRole = 'mysql',
  secret?: { secretId?: string | undefined; aws?: AwsSettings },
): PasswordSource[] {
  const tty = ttyPasswordSource();
  const sources = accountPasswordSources(role, secret ?? {});
  return tty ? [...sources, tty] : sources;
}

function prompt(
  account: MySqlAccount,
  input: NodeJS.ReadStream,
  output: NodeJS.WriteStream,
): Promise<string | null> {
  output.write(`MySQL password for ${account.user}@${account.host}:${account.port}: `);
  return new Promise((resolve) => {
    let typed = '';
    const finish = (value: string | null): void => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      output.write('\n');
      resolve(value);
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(typed);
        if (ch === '\u0003' || ch === '\u0004') return finish(null); // Ctrl-C, Ctrl-D
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}
