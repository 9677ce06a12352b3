/**
 * Loaded into a benchmarked child with `node --import`: when the child exits, writes its own CPU
 * time (user and system) and when it started and ended to the file named by {@link CPU_AT_EXIT_ENV}.
 * Node's `spawnSync` reports no child's resource usage, so the child reports its own, and every
 * process a benchmark compares loads this same module, so each pays the same for it.
 *
 * It imports nothing but `node:fs`: loading it must cost next to nothing. The handler is installed
 * only when the variable is set, so importing the module for its names has no effect.
 */
import { writeFileSync } from 'node:fs';

/** The file the child writes its {@link ChildUsage} to, as JSON. */
export const CPU_AT_EXIT_ENV = 'BENCH_CPU_AT_EXIT';

export interface ChildUsage {
  /** The child's start, `performance.timeOrigin`, in milliseconds since the epoch. */
  readonly startedAt: number;
  /** When its `exit` event ran, in milliseconds since the epoch. */
  readonly endedAt: number;
  /** `process.cpuUsage()` at exit, in microseconds. */
  readonly userMicros: number;
  readonly systemMicros: number;
}

const file = process.env[CPU_AT_EXIT_ENV];
if (file !== undefined && file !== '') {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    const usage: ChildUsage = { startedAt: performance.timeOrigin, endedAt: performance.timeOrigin + performance.now(), userMicros: user, systemMicros: system };
    writeFileSync(file, JSON.stringify(usage));
  });
}
