/**
 * The fuzzer is held to its table (test/fuzz/zoo-table.json, measured by scripts/fuzz-zoo.ts):
 * at the table's seed, every fake of the zoo it found is found again in the same mode within the
 * same number of runs, and a fake it does not find is one the table explains (ZOO_UNFOUND). A new
 * fake without a row fails here until the script has measured it.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImplementationFactory } from '../../src/contract/Implementation.js';
import { fuzz, type FuzzOptions } from '../../src/fuzz/fuzz.js';
import { printFeature, printScenario } from '../../src/fuzz/gherkin.js';
import { ROOT } from '../selftest/_helpers/runs.js';
import { runFeature } from './_helpers/runFeature.js';
import { ZOO_UNFOUND, zooContestants, zooOptions, type ZooEntry, type ZooMode } from './_helpers/zoo.js';

const FAKES = path.join(ROOT, 'implementations', 'faulty');
const names = (await readdir(FAKES)).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
const table = JSON.parse(await readFile(path.join(ROOT, 'test', 'fuzz', 'zoo-table.json'), 'utf8')) as ZooEntry[];
const row = new Map(table.map((entry) => [entry.fake, entry]));

const dir = await mkdtemp(path.join(os.tmpdir(), 'vmbus-fuzz-zoo-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function contestantsFor(name: string, mode: ZooMode): Promise<FuzzOptions['contestants']> {
  return zooContestants((await import(pathToFileURL(path.join(FAKES, `${name}.ts`)).href)).default as ImplementationFactory, mode);
}

describe('the fuzzer against the zoo', () => {
  it('has a row for every fake, and a reason for every fake it does not find', () => {
    expect(names.filter((name) => !row.has(name)), 'fakes with no row: run npx tsx scripts/fuzz-zoo.ts <name>').toEqual([]);
    const unfound = table.filter((entry) => entry.mode === null).map((entry) => entry.fake);
    expect(unfound.filter((name) => ZOO_UNFOUND[name] === undefined), 'fakes not found and not explained').toEqual([]);
    expect(Object.keys(ZOO_UNFOUND).filter((name) => !unfound.includes(name)), 'explained as unfound, yet found').toEqual([]);
  });

  const found = table.filter((entry) => entry.mode !== null && names.includes(entry.fake));
  it.each(found.map((entry) => [entry.fake, entry] as const))('finds %s within the runs of its row', async (name, entry) => {
    const outcome = await fuzz({ ...zooOptions(entry.mode!), runs: entry.runs!, shrink: false, contestants: await contestantsFor(name, entry.mode!) });
    // The table's aspect is the shrunk difference's; unshrunk, the first run that differs may show another first.
    expect(outcome.counterexample, `not found within ${entry.runs} runs`).toBeDefined();
    expect(outcome.counterexample!.foundAtRun).toBe(entry.runs);
  });
});

/** For each aspect a difference can be in, the first fake of the table found whole by one. */
const BY_ASPECT = [...new Map(table.filter((e) => e.mode !== null && e.mode.half === undefined && e.aspect !== 'threw').map((e) => [e.aspect, e] as const)).values()];

describe('the scenario the fuzzer prints, for a difference in each aspect', () => {
  it('covers the aspects', () => {
    expect(BY_ASPECT.map((e) => e.aspect).sort()).toEqual(expect.arrayContaining(['endpoints', 'locks', 'mdl', 'operations', 'result', 'violations', 'wire']));
  });

  it.each(BY_ASPECT.map((e) => [e.aspect, e] as const))('%s: passes against the reference and fails against the fake', async (_, entry) => {
    const outcome = await fuzz({ ...zooOptions(entry.mode!), runs: entry.runs!, contestants: await contestantsFor(entry.fake, entry.mode!) });
    const scenario = printScenario(outcome.counterexample!, { replay: 'test', strictness: 'strict', implementation: entry.fake });
    const file = path.join(dir, `${entry.fake}.feature`);
    await writeFile(file, printFeature(scenario));
    const reference = await runFeature(file, 'inproc:reference', path.join(dir, entry.fake, 'reference'));
    expect(reference.statuses.every((s) => s === 'PASSED'), reference.failure).toBe(true);
    const fake = await runFeature(file, `module:dist/implementations/faulty/${entry.fake}.js`, path.join(dir, entry.fake, 'fake'));
    expect(fake.statuses.filter((s) => s !== 'PASSED'), scenario).toEqual(['FAILED']);
  });
});
