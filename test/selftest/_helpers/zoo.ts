/**
 * The zoo as the self-test sees it: the in-process fakes (`implementations/faulty/*.ts`, each the
 * reference model with one lie), what each declares, and the catalogue's rules. Shared by the
 * self-test's files, which are split so that vitest can run them side by side (issue 11: CI in a
 * minute); each file loads the same fakes and judges a part of the zoo.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadCatalogue } from '../../../src/catalogue/catalogue.js';
import type { FaultyImplementation } from '../../../implementations/faulty/_internals/faulty.js';
import { ROOT } from './runs.js';

export const FAULTY_DIR = path.join(ROOT, 'implementations', 'faulty');
export const NAMES = (await readdir(FAULTY_DIR)).filter((file) => file.endsWith('.ts')).map((file) => file.slice(0, -'.ts'.length)).sort();

export interface FakeModule {
  readonly default: FaultyImplementation;
  readonly catches: readonly string[];
  /** For a fake whose lie is its guest's: the rules that catch it as a guest half, the harness carrying the wire. */
  readonly catchesAsGuest?: readonly string[];
  /** For a fake whose lie is its host's: the rules that catch it as a host half. */
  readonly catchesAsHost?: readonly string[];
}
export const loadFake = async (name: string): Promise<FakeModule> => (await import(pathToFileURL(path.join(FAULTY_DIR, `${name}.ts`)).href)) as FakeModule;
/** A fake as the command line names it: its compiled module (the steps run from dist/). */
export const fakeSpec = (name: string): string => `module:dist/implementations/faulty/${name}.js`;

const CATALOGUE = await loadCatalogue(path.join(ROOT, 'features'), { root: ROOT });
export const RULE_IDS = new Set(CATALOGUE.rules.map((rule) => rule.id));
/** The rules a guest half is judged on, and a host half. */
export const GUEST_RULES = CATALOGUE.rules.filter((rule) => rule.halves.includes('guest')).map((rule) => rule.id);
export const HOST_RULES = CATALOGUE.rules.filter((rule) => rule.halves.includes('host')).map((rule) => rule.id);

/** The fakes that lie as a guest (each is also run as a guest half with the reference host), and those that lie as a host. */
export const GUEST_FAKES = (await Promise.all(NAMES.map(async (name) => ((await loadFake(name)).catchesAsGuest !== undefined ? [name] : [])))).flat();
export const HOST_FAKES = (await Promise.all(NAMES.map(async (name) => ((await loadFake(name)).catchesAsHost !== undefined ? [name] : [])))).flat();

/**
 * One of `count` parts of `names`, dealt round-robin so that each part gets fakes from the whole
 * alphabet: the whole-implementation runs are split over files that vitest runs side by side.
 */
export const part = (names: readonly string[], index: number, count: number): string[] => names.filter((_, i) => i % count === index);
