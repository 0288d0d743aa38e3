/**
 * `tsx bench/alone.ts <bench>`: one memory bench in a process of its own, so its RSS figures are
 * not the heap that the benches before it left behind (V8 does not give it back).
 */
import { embeddedFloodMemory } from './embedded';

const benches: Record<string, (report: (name: string, value: string) => void) => Promise<void>> = {
  embeddedFloodMemory,
};

const bench = benches[process.argv[2] ?? ''];
if (!bench) throw new Error(`no such bench: ${process.argv[2]}`);
void bench((name, value) => process.stdout.write(`${name.padEnd(56)} ${value}\n`));
