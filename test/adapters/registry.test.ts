import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImplementationLoadError, resolveImplementation, UnknownImplementationError } from '../../src/adapters/registry.js';

const root = path.resolve(import.meta.dirname, '../..');

describe('resolveImplementation', () => {
  it('resolves the reference model and starts a working connection', async () => {
    const factory = await resolveImplementation('inproc:reference');
    const vmbus = await factory.start();
    const server = await vmbus.allocateChannel({ role: 'server' });
    expect(server.status).toBe(0);
    expect(factory.info.capabilities.trace).toBe(true);
  });

  it.each(['reference', 'inproc:nope', 'teleport:reference', 'inproc:'])('names "%s" a usage error', async (spec) => {
    await expect(resolveImplementation(spec)).rejects.toBeInstanceOf(UnknownImplementationError);
  });

  it('loads a TypeScript module whose default export is a factory', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vmbus-module-'));
    const model = JSON.stringify(path.join(root, 'src/model/ReferenceVmbus.ts'));
    const adapter = JSON.stringify(path.join(root, 'src/adapters/inProcess.ts'));
    await writeFile(path.join(dir, 'impl.ts'), [
      `import { ReferenceVmbus, REFERENCE_INFO } from ${model};`,
      `import { inProcess } from ${adapter};`,
      `const name: string = 'a TypeScript module';`,
      `export default { info: { ...REFERENCE_INFO, name }, start: async () => inProcess(new ReferenceVmbus()) };`,
    ].join('\n'));
    const factory = await resolveImplementation('module:impl.ts', { cwd: dir });
    expect(factory.info.name).toBe('a TypeScript module');
    expect((await (await factory.start()).allocateBuffer({ byteCount: 10 })).status).toBe(0);
  });

  it('says what is wrong with a module that exports no factory', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vmbus-module-'));
    await writeFile(path.join(dir, 'empty.mjs'), 'export const nothing = 1;\n');
    await expect(resolveImplementation('module:empty.mjs', { cwd: dir })).rejects.toThrow(/exports no implementation factory/);
    await expect(resolveImplementation('module:missing.mjs', { cwd: dir })).rejects.toBeInstanceOf(ImplementationLoadError);
  });
});
