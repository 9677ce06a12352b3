/**
 * Benchmark: the differential fuzzer's checked operations per second, the reference model against
 * itself, in process and with the implementation served over the plug-in protocol, interleaved,
 * `BENCH_ROUNDS` rounds (default 3), medians; reports issue 11's `fuzz-inproc` and `fuzz-stdio`.
 *
 * A checked operation is one step of a program after its set-up: one call made on both sides (the
 * reference and the implementation under test), then every look after it on both sides (the
 * call's result, the MDL of a map, the operations started, the endpoints and locks where the call
 * may change them, the violations since the call, the wire since the call), compared. The set-up's
 * calls (channels offered and opened, buffers allocated: about ten per program, compared by their
 * statuses and one look after them all) are not counted, nor is fast-check's generation, though
 * both are in the time. Every round is the same programs (fixed seed), with misuse, every
 * capability, so both configurations check the same operations.
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
import { median, reportTarget } from './_lib/targets.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
const RUNS = Number(process.env['BENCH_FUZZ_RUNS'] ?? 300);
const served = await resolveImplementation(`cmd:${process.execPath} ${path.join(ROOT, 'dist/src/cli/serve.js')} inproc:reference`, { cwd: ROOT });
const whole = async () => inProcess(new ReferenceVmbus());

const CONFIGURATIONS = [
  { name: 'in process', target: { id: 'fuzz-inproc', limit: 200_000 }, implementation: whole },
  { name: 'over stdio', target: { id: 'fuzz-stdio', limit: 20_000 }, implementation: () => served.start() },
] as const;

const rates = new Map<string, number[]>(CONFIGURATIONS.map((c) => [c.name, []]));
let checkedPerRound = 0;
/**
 * Round -1 warms the JIT up, unmeasured: the harness and the model reach their steady speed only
 * after about a thousand programs (the first hundred run at a fifth of it), and the first
 * configuration measured would pay for that alone.
 */
const WARM_UP_RUNS: Record<(typeof CONFIGURATIONS)[number]['name'], number> = { 'in process': 3 * RUNS, 'over stdio': RUNS };
for (let round = -1; round < rounds; round++) {
  for (const configuration of CONFIGURATIONS) {
    const outcome = await fuzz({
      seed: 42 + round,
      runs: round === -1 ? WARM_UP_RUNS[configuration.name] : RUNS,
      maxCommands: 40,
      misuse: true,
      strictness: 'strict',
      ...EVERY_CAPABILITY,
      // Both run each request to its end in the order asked (the reference in process, the served one over stdio).
      contestants: { reference: whole, implementation: configuration.implementation, inOrder: { reference: true, implementation: true } },
    });
    if (outcome.counterexample !== undefined) throw new Error(`the reference differs from itself ${configuration.name}`);
    if (round === -1) {
      console.log(`warm-up ${configuration.name}: ${Math.round((outcome.checked * 1000) / outcome.elapsedMs).toLocaleString('en-US')} checked operations/s over ${WARM_UP_RUNS[configuration.name]} programs (not counted)`);
      continue;
    }
    checkedPerRound = outcome.checked;
    rates.get(configuration.name)!.push((outcome.checked * 1000) / outcome.elapsedMs);
  }
}
const inProcessRate = median(rates.get('in process')!);
/** Over stdio against in process, in time per checked operation: the protocol's share, measured side by side. */
const stdioRatio = inProcessRate / median(rates.get('over stdio')!);
console.log(`fuzzer, the reference against itself, ${RUNS} programs with misuse (${checkedPerRound.toLocaleString('en-US')} checked operations in the last round), medians of ${rounds} rounds`);
for (const configuration of CONFIGURATIONS) {
  const rate = median(rates.get(configuration.name)!);
  console.log(`${configuration.name.padEnd(12)} ${Math.round(rate).toLocaleString('en-US').padStart(8)} checked operations/s   ${(inProcessRate / rate).toFixed(2)}x the time of in process`);
}
for (const configuration of CONFIGURATIONS) {
  const rate = median(rates.get(configuration.name)!);
  reportTarget({
    id: configuration.target.id,
    target: `the fuzzer ${configuration.name}, checked operations per second`,
    measured: rate,
    limit: configuration.target.limit,
    better: 'higher',
    unit: 'ops/s',
    detail: `the reference against itself, ${RUNS} programs with misuse, median of ${rounds} rounds interleaved; over stdio ${stdioRatio.toFixed(2)}x the time of in process`,
  });
}
killAllPluginProcesses();
