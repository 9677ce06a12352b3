import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { HarnessInfo } from './types.js';

/** The harness's name and version, from the package.json in `root`. */
export async function readHarnessInfo(root: string): Promise<HarnessInfo> {
  try {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
    return {
      name: typeof pkg.name === 'string' ? pkg.name : 'vmbus-conformance',
      version: typeof pkg.version === 'string' ? pkg.version : 'unknown',
    };
  } catch {
    return { name: 'vmbus-conformance', version: 'unknown' };
  }
}
