/**
 * `npm run bench`: prints throughput and latency figures of livewall's hot paths. Numbers, not
 * pass/fail: goals are compared by a person (and in the issue notes), never in timed tests.
 */
import { engineMemory, engineThroughput } from './engine';
import { pipelineBench } from './pipeline';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { embeddedBurst, embeddedFirstOrders } from './embedded';
import { consumerBench } from './consumer';
import { cdcBench } from './cdc';
import { flinkBench } from './flink';
import { flinkMemoryBench } from './flinkMemory';
import { rendererBench } from './renderer';
import { warehouseBench } from './warehouse';

/** A bench run by bench/alone.ts in a fresh process, its lines printed as they come. */
function alone(name: string): Promise<void> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, join(import.meta.dirname, 'alone.ts'), name],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  return new Promise((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${name}: exit ${code}`)),
    ),
  );
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const rows: [string, string][] = [];
  const report = (name: string, value: string): void => {
    rows.push([name, value]);
    process.stdout.write(`${name.padEnd(56)} ${value}\n`);
  };
  process.stdout.write(`livewall bench — node ${process.version}, ${new Date().toISOString()}\n`);
  await engineThroughput(report);
  await engineMemory(report);
  await embeddedFirstOrders(report);
  await embeddedBurst(report);
  await alone('embeddedFloodMemory'); // after a million live orders here, RSS would be theirs
  await consumerBench(report);
  await cdcBench(report);
  await pipelineBench(report);
  await flinkMemoryBench(report);
  await flinkBench(report);
  await rendererBench(report);
  await warehouseBench(report);
}

void main();
