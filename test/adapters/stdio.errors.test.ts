/**
 * A scenario that an implementation in another process breaks is an error (not a failure), the run
 * exits 2, and the implementation's standard error is attached to the scenario (steps/support/hooks.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ConformanceReport } from '../../src/report/types.js';
import { ROOT } from './_stdioFake.js';

describe('a scenario the implementation breaks', () => {
  it('is an error, with the implementation\'s standard error attached', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vmbus-broken-'));
    const dist = (file: string): string => JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/src', file)).href);
    // The reference model, except that its second map logs a line (console goes to stderr) and exits.
    await writeFile(path.join(dir, 'impl.mjs'), [
      `import { ReferenceVmbus, REFERENCE_INFO } from ${dist('model/ReferenceVmbus.js')};`,
      `import { inProcess } from ${dist('adapters/inProcess.js')};`,
      'export default { info: { ...REFERENCE_INFO, name: "crashes on the second map" }, start: async () => {',
      '  const vmbus = new ReferenceVmbus();',
      '  const map = vmbus.mapGpadl.bind(vmbus);',
      '  let maps = 0;',
      '  vmbus.mapGpadl = (...args) => { if (++maps === 2) { console.log("second map: giving up"); process.exit(7); } return map(...args); };',
      '  return inProcess(vmbus);',
      '} };',
    ].join('\n'));
    const out = path.join(dir, 'out');
    const serve = path.join(ROOT, 'dist/src/cli/serve.js');
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/cli/main.js'), 'run', '--impl', `cmd:node ${JSON.stringify(serve)} module:impl.mjs`, '--profile', 'strict', '--tags', '@MAP-05', '--out', out], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, output).toBe(2);

    const report = JSON.parse(await readFile(path.join(out, 'conformance.json'), 'utf8')) as ConformanceReport;
    const rule = report.rules.find((r) => r.id === 'MAP-05')!;
    expect(rule.verdict).toBe('error');
    expect(rule.scenarios[0]?.message).toMatch(/ImplementationExited: .* exited with code 7 while answering mapGpadl/);
    expect(rule.scenarios[0]?.message).toContain('second map: giving up');

    const attachments = (await readFile(path.join(out, 'messages.ndjson'), 'utf8'))
      .split('\n')
      .filter((line) => line.includes('"attachment"'))
      .map((line) => (JSON.parse(line) as { attachment: { body: string; mediaType: string } }).attachment);
    expect(attachments.length).toBeGreaterThan(0);
    expect(attachments[0]).toMatchObject({ body: 'second map: giving up', mediaType: 'text/plain' });
  });
});
