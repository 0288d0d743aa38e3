#!/usr/bin/env node
// `npm run synth` and `npm run deploy`: the CDK app in deploy/ (its own package, so the root lock
// file stays the app's). Installs deploy's dependencies when missing, builds the Flink job's jar
// when it is missing or older than flink/src, then runs the CDK CLI there. Synth needs no AWS
// credentials and no network: the stack is environment-agnostic and does no look-ups.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEPLOY = join(ROOT, 'deploy');
const JAR = join(ROOT, 'flink', 'target', 'livewall-flink.jar');

/**
 * The newest modification time (ms) of the files under a path, or 0 when there are none.
 * @param {string} path
 * @returns {number}
 */
export function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * Whether the jar must be built: missing, or older than a source file or the POM.
 * @param {string} root the repository
 * @returns {boolean}
 */
export function jarIsStale(root) {
  const jar = join(root, 'flink', 'target', 'livewall-flink.jar');
  if (!existsSync(jar)) return true;
  const sources = Math.max(
    newestMtime(join(root, 'flink', 'src')),
    newestMtime(join(root, 'flink', 'pom.xml')),
  );
  return statSync(jar).mtimeMs < sources;
}

/**
 * The CDK CLI's arguments for a command of ours.
 * @param {string} command synth or deploy
 * @param {string[]} rest the user's own arguments (after `--`)
 * @returns {string[]}
 */
export function cdkArgs(command, rest) {
  // Notices are fetched from the network at start: off, so synth stays offline and quiet.
  if (command === 'synth') return ['synth', '--quiet', '--no-notices', ...rest];
  if (command === 'deploy') return ['deploy', '--all', '--no-notices', ...rest];
  throw new Error(`scripts/cdk.mjs: unknown command "${command}" (synth or deploy)`);
}

function run(what, cmd, args, cwd, env = process.env) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env });
  if (r.error) {
    console.error(`${what}: ${r.error.message}`);
    process.exit(1);
  }
  if (r.status !== 0) {
    console.error(`${what} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

function main() {
  const [command = 'synth', ...rest] = process.argv.slice(2);
  const args = cdkArgs(command, rest);
  if (!existsSync(join(DEPLOY, 'node_modules', '.bin', 'cdk'))) {
    run('npm ci in deploy/', 'npm', ['ci', '--prefix', DEPLOY, '--no-audit', '--no-fund'], ROOT);
  }
  if (jarIsStale(ROOT)) {
    console.error(`building ${JAR} (missing or older than flink/src)`);
    run(
      "the Flink job's build",
      'mvn',
      ['-q', '-B', '-f', join(ROOT, 'flink', 'pom.xml'), '-DskipTests', 'package'],
      ROOT,
    );
  }
  // Synth needs no account: keep the SDK's credential chain from probing EC2's metadata address.
  const env =
    command === 'synth' ? { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' } : process.env;
  run(`cdk ${command}`, join(DEPLOY, 'node_modules', '.bin', 'cdk'), args, DEPLOY, env);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
