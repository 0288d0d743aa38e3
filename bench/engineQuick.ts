import { engineMemory, engineThroughput } from './engine';
void (async () => {
  const report = (n: string, v: string): void => void process.stdout.write(`${n.padEnd(60)} ${v}\n`);
  await engineThroughput(report);
  if (process.argv.includes('--memory')) await engineMemory(report);
})();
