/**
 * The fuzzer against every fake of the zoo: how many runs it takes to find each one at a fixed
 * seed, and how many calls the shrunk scenario has. Writes test/fuzz/zoo-table.json (which
 * test/fuzz/zoo.test.ts holds the fuzzer to) and prints the README's table.
 *
 *     npx tsx scripts/fuzz-zoo.ts            # every fake
 *     npx tsx scripts/fuzz-zoo.ts name ...   # some of them (the table keeps the others)
 *
 * Each fake is tried as a correct driver would call it, then with misuse, in the strict profile
 * (whole; a fake whose lie only a carried wire shows is tried as the half it serves). A fake not
 * found within RUNS runs gets the reason the table gives (ZOO_EXCLUSIONS).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ImplementationFactory } from '../src/contract/Implementation.js';
import { fuzz } from '../src/fuzz/fuzz.js';
import { ruleFor } from '../src/fuzz/rules.js';
import { ZOO_SEED, ZOO_RUNS, zooContestants, zooOptions, type ZooEntry, type ZooMode } from '../test/fuzz/_helpers/zoo.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const TABLE = path.join(ROOT, 'test', 'fuzz', 'zoo-table.json');
const FAKES = path.join(ROOT, 'implementations', 'faulty');

interface Fake extends ImplementationFactory {
  readonly catches: readonly string[];
  readonly catchesAsGuest?: readonly string[];
  readonly catchesAsHost?: readonly string[];
}

async function measure(name: string): Promise<ZooEntry> {
  const fake = (await import(pathToFileURL(path.join(FAKES, `${name}.ts`)).href)).default as Fake;
  const modes: ZooMode[] = [{ misuse: false }, { misuse: true }];
  if (fake.catchesAsGuest !== undefined) modes.push({ misuse: false, half: 'guest' }, { misuse: true, half: 'guest' });
  if (fake.catchesAsHost !== undefined) modes.push({ misuse: false, half: 'host' }, { misuse: true, half: 'host' });
  for (const mode of modes) {
    const outcome = await fuzz({ ...zooOptions(mode), contestants: zooContestants(fake, mode) });
    const found = outcome.counterexample;
    if (found === undefined) continue;
    const difference = found.record.difference!;
    const rule = ruleFor(found.record.steps[difference.step]?.call, difference, found.record.steps.slice(0, Math.max(0, difference.step)));
    const caughtBy = [...fake.catches, ...(fake.catchesAsGuest ?? []), ...(fake.catchesAsHost ?? [])];
    return { fake: name, mode, runs: found.foundAtRun, calls: difference.step + 1, aspect: difference.aspect, rule: rule ?? null, ruleCatchesIt: rule !== undefined && caughtBy.includes(rule) };
  }
  return { fake: name, mode: null, runs: null, calls: null, aspect: null, rule: null, ruleCatchesIt: false };
}

const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : (await readdir(FAKES)).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
const previous: ZooEntry[] = await readFile(TABLE, 'utf8').then((text) => JSON.parse(text) as ZooEntry[], () => []);
const table = new Map(previous.map((e) => [e.fake, e]));
for (const name of names) {
  const entry = await measure(name);
  table.set(name, entry);
  const how = entry.mode === null ? 'not found' : `${entry.mode.half ?? 'whole'}${entry.mode.misuse ? ' with misuse' : ''}: run ${entry.runs}, ${entry.calls} calls, ${entry.aspect}, ${entry.rule ?? 'no rule'}${entry.ruleCatchesIt ? '' : ' (not one of its rules)'}`;
  console.log(`${name}: ${how}`);
}
const sorted = [...table.values()].sort((a, b) => a.fake.localeCompare(b.fake));
await writeFile(TABLE, `${JSON.stringify(sorted, null, 1)}\n`);
console.log(`\nseed ${ZOO_SEED}, at most ${ZOO_RUNS} runs each, strict profile\n`);
console.log('| fake | found as | runs to find | calls in the shrunk scenario | rule it reads |');
console.log('|---|---|---|---|---|');
for (const e of sorted) {
  const as = e.mode === null ? 'not found' : `${e.mode.half ?? 'whole'}${e.mode.misuse ? ', misuse' : ''}`;
  console.log(`| ${e.fake} | ${as} | ${e.runs ?? '–'} | ${e.calls ?? '–'} | ${e.rule ?? '–'}${e.rule !== null && !e.ruleCatchesIt ? ' (not its)' : ''} |`);
}
