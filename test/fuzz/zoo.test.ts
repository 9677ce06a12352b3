/**
 * The fuzzer is held to its table (test/fuzz/zoo-table.json, measured by scripts/fuzz-zoo.ts):
 * at the table's seed, every fake of the zoo it found is found again in the same mode within the
 * same number of runs, and a fake it does not find is one the table explains (ZOO_UNFOUND). A new
 * fake without a row fails here until the script has measured it.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inProcess } from '../../src/adapters/inProcess.js';
import type { ImplementationFactory } from '../../src/contract/Implementation.js';
import { fuzz } from '../../src/fuzz/fuzz.js';
import { referenceGuestHalf } from '../../src/model/halves/ReferenceGuestHalf.js';
import { referenceHostHalf } from '../../src/model/halves/ReferenceHostHalf.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { Pairing } from '../../src/pairing/Pairing.js';
import { ROOT } from '../selftest/_helpers/runs.js';
import { ZOO_UNFOUND, zooOptions, type ZooEntry } from './_helpers/zoo.js';

const FAKES = path.join(ROOT, 'implementations', 'faulty');
const names = (await readdir(FAKES)).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
const table = JSON.parse(await readFile(path.join(ROOT, 'test', 'fuzz', 'zoo-table.json'), 'utf8')) as ZooEntry[];
const row = new Map(table.map((entry) => [entry.fake, entry]));

describe('the fuzzer against the zoo', () => {
  it('has a row for every fake, and a reason for every fake it does not find', () => {
    expect(names.filter((name) => !row.has(name)), 'fakes with no row: run npx tsx scripts/fuzz-zoo.ts <name>').toEqual([]);
    const unfound = table.filter((entry) => entry.mode === null).map((entry) => entry.fake);
    expect(unfound.filter((name) => ZOO_UNFOUND[name] === undefined), 'fakes not found and not explained').toEqual([]);
    expect(Object.keys(ZOO_UNFOUND).filter((name) => !unfound.includes(name)), 'explained as unfound, yet found').toEqual([]);
  });

  const found = table.filter((entry) => entry.mode !== null && names.includes(entry.fake));
  it.each(found.map((entry) => [entry.fake, entry] as const))('finds %s within the runs of its row', async (name, entry) => {
    const fake = (await import(pathToFileURL(path.join(FAKES, `${name}.ts`)).href)).default as ImplementationFactory;
    const mode = entry.mode!;
    const paired = async () => new Pairing(referenceGuestHalf(), referenceHostHalf());
    const contestants =
      mode.half === 'guest'
        ? { reference: paired, implementation: async () => new Pairing(await fake.startGuest!(), referenceHostHalf()) }
        : mode.half === 'host'
          ? { reference: paired, implementation: async () => new Pairing(referenceGuestHalf(), await fake.startHost!()) }
          : { reference: async () => inProcess(new ReferenceVmbus()), implementation: () => fake.start() };
    const outcome = await fuzz({ ...zooOptions(mode), runs: entry.runs!, shrink: false, contestants });
    expect(outcome.counterexample?.record.difference?.aspect, `not found within ${entry.runs} runs`).toBe(entry.aspect);
    expect(outcome.counterexample!.foundAtRun).toBe(entry.runs);
  });
});
