/**
 * `npm run bench`: prints throughput and latency figures of livewall's hot paths. Numbers, not
 * pass/fail: goals are compared by a person (and in the issue notes), never in timed tests.
 */
import { engineThroughput } from './engine';
import { embeddedBurst } from './embedded';
import { consumerBench } from './consumer';
import { cdcBench } from './cdc';

async function main(): Promise<void> {
  const rows: [string, string][] = [];
  const report = (name: string, value: string): void => {
    rows.push([name, value]);
    process.stdout.write(`${name.padEnd(56)} ${value}\n`);
  };
  process.stdout.write(`livewall bench — node ${process.version}, ${new Date().toISOString()}\n`);
  await engineThroughput(report);
  await embeddedBurst(report);
  await consumerBench(report);
  await cdcBench(report);
}

void main();
