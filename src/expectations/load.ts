/**
 * Reads an expectations file and checks it against `schemas/expectations.json` (ajv, JSON Schema
 * 2020-12). A file that cannot be read or parsed, or breaks the schema, is an
 * {@link ExpectationsFileError}: the command line gave a bad input, so nothing runs (exit 3).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { packageRoot } from '../cli/paths.js';
import type { ExpectationsFile, LoadedExpectations } from './types.js';

export class ExpectationsFileError extends Error {
  override readonly name = 'ExpectationsFileError';
}

/** Where the schema lives: `schemas/expectations.json` under the package root. */
export function expectationsSchemaPath(root: string = packageRoot(import.meta.url)): string {
  return path.join(root, 'schemas', 'expectations.json');
}

const validators = new Map<string, Promise<ValidateFunction>>();

async function validator(schemaPath: string): Promise<ValidateFunction> {
  let pending = validators.get(schemaPath);
  if (pending === undefined) {
    // Ajv is loaded with the first file to check: a run without expectations never needs it.
    pending = Promise.all([readFile(schemaPath, 'utf8'), import('ajv/dist/2020.js')]).then(([text, { Ajv2020 }]) =>
      new Ajv2020({ allErrors: true, strict: true, strictRequired: false }).compile(JSON.parse(text) as object),
    );
    validators.set(schemaPath, pending);
  }
  return pending;
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(top level)' : error.instancePath;
  if (error.keyword === 'additionalProperties') return `${where}: unknown property "${String(error.params['additionalProperty'])}"`;
  if (error.keyword === 'enum') return `${where}: must be one of ${(error.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (error.keyword === 'anyOf') return `${where}: names neither a "rule" nor a "scenario"`;
  return `${where}: ${error.message ?? error.keyword}`;
}

/** Checks parsed JSON against the schema; returns the problems, one line each. */
export async function validateExpectations(value: unknown, schemaPath = expectationsSchemaPath()): Promise<string[]> {
  const validate = await validator(schemaPath);
  if (validate(value)) return [];
  // anyOf's branches each report a missing property; the anyOf line says it better.
  const errors = (validate.errors ?? []).filter((e) => !(e.keyword === 'required' && /\/anyOf\//.test(e.schemaPath)));
  return [...new Set(errors.map(describeError))];
}

/**
 * Reads `file` (relative to `cwd`). With `allowMissing` (for `--update-expectations`) a file that
 * does not exist yet loads as `content: undefined`.
 */
export async function loadExpectations(file: string, cwd: string, options: { allowMissing?: boolean; schemaPath?: string } = {}): Promise<LoadedExpectations> {
  const absolute = path.resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && options.allowMissing) return { file, path: absolute, content: undefined };
    throw new ExpectationsFileError(`cannot read expectations file ${file}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ExpectationsFileError(`expectations file ${file} is not JSON: ${(error as Error).message}`);
  }
  const problems = await validateExpectations(value, options.schemaPath);
  if (problems.length > 0) {
    throw new ExpectationsFileError(`expectations file ${file} does not match schemas/expectations.json:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  return { file, path: absolute, content: value as ExpectationsFile };
}
