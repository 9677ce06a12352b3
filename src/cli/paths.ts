import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_NAME = 'vmbus-conformance';

/**
 * The package root, found from a module's URL: compiled, `dist/src/cli/main.js` is three levels
 * below it; run from source (tests), `src/cli/*.ts` is two. Walks up to the package.json named
 * {@link PACKAGE_NAME} so both work, from any cwd.
 */
export function packageRoot(moduleUrl: string = import.meta.url): string {
  let dir = path.dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) return dir;
      } catch {
        // not ours; keep walking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  // Fallback: the documented layout of the compiled CLI.
  return path.resolve(path.dirname(fileURLToPath(moduleUrl)), '..', '..', '..');
}

export interface SuitePaths {
  readonly root: string;
  /** `features/`: the catalogue's source. */
  readonly featureDir: string;
  /** Cucumber path globs, relative to root. */
  readonly featureGlobs: readonly string[];
  /** Step definition globs (compiled), relative to root. */
  readonly stepGlobs: readonly string[];
}

export function suitePaths(root: string): SuitePaths {
  return {
    root,
    featureDir: path.join(root, 'features'),
    featureGlobs: ['features/**/*.feature'],
    stepGlobs: ['dist/steps/**/*.js'],
  };
}
