import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The run's temporary files under one directory, removed at its end (test/globalSetup.ts).
    globalSetup: ['test/globalSetup.ts'],
    environment: 'node',
    // The report and CLI tests run real (tiny) Cucumber runs.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Vitest's default is one worker fewer than the CPUs: one worker on CI's 2-core machine. Many
    // files here mostly wait on child processes (CLI runs, plug-ins, time-outs), so a worker more
    // than the CPUs keeps both busy (issue 11: CI in a minute).
    maxWorkers: availableParallelism() + 1,
    // The test files share a worker's modules instead of importing the project afresh for each
    // file: on two vCPUs that halves the CPU of the small files (29 to 14 s for the model, protocol,
    // report and catalogue tests). No test relies on a module's state being new; the ones that
    // keep state across calls (the loaded step definitions, the interrupt state) are per process anyway.
    isolate: false,
  },
});
