/**
 * Benchmark: the differential fuzzer's checked operations per second (calls made on both sides and
 * compared), the reference model against itself, in process and served over the plug-in protocol,
 * interleaved, `BENCH_ROUNDS` rounds (default 3), medians printed with their ratio to in process.
 * Every run is the same programs (fixed seed), with misuse, every capability.
 *
 *   npm run build && node dist/bench/fuzzThroughput.js
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inProcess } from '../src/adapters/inProcess.js';
import { resolveImplementation } from '../src/adapters/registry.js';
import { killAllPluginProcesses } from '../src/adapters/stdio/PluginProcess.js';
import { EVERY_CAPABILITY, fuzz } from '../src/fuzz/fuzz.js';
import { ReferenceVmbus } from '../src/model/ReferenceVmbus.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
const RUNS = Number(process.env['BENCH_FUZZ_RUNS'] ?? 300);
const served = await resolveImplementation(`cmd:${process.execPath} ${path.join(ROOT, 'dist/src/cli/serve.js')} inproc:reference`, { cwd: ROOT });
const whole = async () => inProcess(new ReferenceVmbus());

const CONFIGURATIONS = [
  { name: 'in process', implementation: whole },
  { name: 'over stdio', implementation: () => served.start() },
] as const;

const rates = new Map<string, number[]>(CONFIGURATIONS.map((c) => [c.name, []]));
for (let round = 0; round < rounds; round++) {
  for (const configuration of CONFIGURATIONS) {
    const outcome = await fuzz({
      seed: 42 + round,
      runs: RUNS,
      maxCommands: 40,
      misuse: true,
      strictness: 'strict',
      ...EVERY_CAPABILITY,
      contestants: { reference: whole, implementation: configuration.implementation },
    });
    if (outcome.counterexample !== undefined) throw new Error(`the reference differs from itself ${configuration.name}`);
    rates.get(configuration.name)!.push((outcome.operations * 1000) / outcome.elapsedMs);
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const base = median(rates.get('in process')!);
console.log(`fuzzer, the reference against itself, ${RUNS} programs with misuse, medians of ${rounds} rounds`);
for (const [name, values] of rates) {
  const rate = median(values);
  console.log(`${name.padEnd(12)} ${Math.round(rate).toLocaleString('en-US').padStart(8)} checked operations/s   ${(base / rate).toFixed(2)}x the time of in process`);
}
killAllPluginProcesses();
