/**
 * What a process loads is part of its cost (issue 11: start-up is measured, and what this project
 * adds to Cucumber's own is cut). The libraries only some commands need are loaded when those
 * commands run, never at start-up: a served implementation parses no Gherkin, and a plain run
 * (no --validate, no fuzzing) loads no schema validator, property-based tester or report renderer
 * of its own. A static import where a lazy one belongs shows up here, by the package it drags in,
 * not as a slower benchmark nobody reads.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../report/tinySuite.js';

const SERVE = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'serve.js');
const MAIN = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js');

// A module resolution hook, registered before the program's first import, that appends every
// package the program resolves (its name under node_modules) to the file LOADED_PACKAGES names.
// It sees ECMAScript imports, which is every import this project's code makes; what a CommonJS
// package requires in turn (Cucumber's own modules) it does not.
const HOOK = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  const match = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(resolved.url);
  if (match) appendFileSync(process.env.LOADED_PACKAGES, match[1] + '\\n');
  return resolved;
}`;
const REGISTER = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOK)}`)});`)}`;

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** The packages a Node program resolved, run with `args` and `input` on standard input. */
async function packagesLoaded(args: readonly string[], input = ''): Promise<Set<string>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vmbus-graph-'));
  dirs.push(dir);
  const file = path.join(dir, 'packages');
  await new Promise<void>((resolve, reject) => {
    const child = execFile(process.execPath, ['--import', REGISTER, ...args], { cwd: dir, env: { ...process.env, LOADED_PACKAGES: file } }, (error, _stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(),
    );
    child.stdin?.end(input);
  });
  return new Set((await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean));
}

describe('what a process loads', () => {
  it('a plain run loads Cucumber, and no schema validator, property-based tester, Markdown renderer or XML parser', async () => {
    const loaded = await packagesLoaded([MAIN, 'run', '--tags', '@MAP-04', '--out', 'out']);
    // The hook saw the packages the run needs: an empty list (a hook that never ran) would pass the rest.
    expect(loaded).toContain('@cucumber/cucumber');
    expect([...loaded].filter((name) => ['ajv', 'ajv-formats', 'fast-check', 'markdown-it', 'fast-xml-parser'].includes(name))).toEqual([]);
  }, 60_000);

  it('a served implementation parses no Gherkin and loads none of Cucumber', async () => {
    const loaded = await packagesLoaded([SERVE, 'inproc:reference'], '{"seq":1,"cmd":"shutdown"}\n');
    expect([...loaded].filter((name) => name.startsWith('@cucumber/') || name === 'class-transformer')).toEqual([]);
  });
});
