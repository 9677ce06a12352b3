import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSpec, parseOutOfScope, parseSpecFile, SPEC_ID, specCatalogue, tableCells } from '../../src/catalogue/spec.js';

const KMCL = `# KMCL

Some prose, and a table that is not statements:

| file | what |
|---|---|
| kmcl.md | pages |

| id | level | statement | where |
|---|---|---|---|
| KMCL-MAP-6 | documented | A GPADL may have a single mapping at any one time. | KMCL/map (Remarks) |
| OPENVMM-PROTOCOL-3 | protocol | Versions are \`major << 16 \\| minor\`. | vmbus_core/src/protocol.rs, \`make_version\` |
`;

let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  dirs = [];
});

describe('spec ids', () => {
  it('are <SOURCE>-<TOPIC>-<n>, upper case, at least one dash before the number', () => {
    for (const id of ['KMCL-MAP-3', 'HDR-STATE-10', 'LINUX-CHANNEL-7', 'OPENVMM-CHANNELS-11', 'INFER-2', 'FREEBSD-REG-1']) expect(SPEC_ID.test(id), id).toBe(true);
    for (const id of ['G4', 'kmcl-map-3', 'KMCL-MAP', 'KMCL-MAP-', 'MAP3', '-MAP-3']) expect(SPEC_ID.test(id), id).toBe(false);
  });
});

describe('tableCells', () => {
  it('splits a row on bars, keeps an escaped bar, and ignores lines that are no row', () => {
    expect(tableCells('| a | b \\| c | d |')).toEqual(['a', 'b | c', 'd']);
    expect(tableCells('  | a |  ')).toEqual(['a']);
    expect(tableCells('not | a row')).toBeUndefined();
  });
});

describe('parseSpecFile', () => {
  it('reads each statement row with its level, text, source, file and line, and skips other tables', () => {
    const { statements, problems } = parseSpecFile('spec/kmcl.md', KMCL);
    expect(problems).toEqual([]);
    expect(statements).toEqual([
      { id: 'KMCL-MAP-6', level: 'documented', text: 'A GPADL may have a single mapping at any one time.', where: 'KMCL/map (Remarks)', file: 'spec/kmcl.md', line: 11 },
      { id: 'OPENVMM-PROTOCOL-3', level: 'protocol', text: 'Versions are `major << 16 | minor`.', where: 'vmbus_core/src/protocol.rs, `make_version`', file: 'spec/kmcl.md', line: 12 },
    ]);
  });

  it('reports a row with a bad level, missing cells or an empty statement, located', () => {
    const text = ['| KMCL-A-1 | normative | text | where |', '| KMCL-A-2 | documented | text |', '| KMCL-A-3 | documented |  | where |'].join('\n');
    const { statements, problems } = parseSpecFile('spec/x.md', text);
    expect(statements).toEqual([]);
    expect(problems.map((p) => [p.kind, p.line])).toEqual([
      ['malformed-statement', 1],
      ['malformed-statement', 2],
      ['malformed-statement', 3],
    ]);
    expect(problems[0]!.message).toMatch(/^spec\/x\.md:1: KMCL-A-1: level "normative"/);
  });
});

describe('parseOutOfScope and specCatalogue', () => {
  it('reads comma-separated ids with their reason', () => {
    const { entries, problems } = parseOutOfScope('spec/out-of-scope.md', '| statement | reason |\n|---|---|\n| HDR-STATE-6, HDR-STATE-7 | Pause is not in the contract. |\n');
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.id, e.reason, e.line])).toEqual([
      ['HDR-STATE-6', 'Pause is not in the contract.', 3],
      ['HDR-STATE-7', 'Pause is not in the contract.', 3],
    ]);
  });

  it('reports an id used twice, at its second use, and keeps the first', () => {
    const catalogue = specCatalogue([
      { file: 'spec/a.md', text: '| KMCL-A-1 | documented | first | where |' },
      { file: 'spec/b.md', text: '| KMCL-A-1 | protocol | second | where |' },
      { file: 'spec/out-of-scope.md', text: '| KMCL-A-1 | a reason |\n| KMCL-A-1 | again |' },
    ]);
    expect(catalogue.statements.get('KMCL-A-1')?.text).toBe('first');
    expect(catalogue.outOfScope.get('KMCL-A-1')?.reason).toBe('a reason');
    expect(catalogue.problems.map((p) => `${p.kind} ${p.file}:${p.line}`)).toEqual(['duplicate-statement-id spec/b.md:1', 'malformed-out-of-scope spec/out-of-scope.md:2']);
  });
});

describe('loadSpec', () => {
  it('reads every file but README.md, relative to the root', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'spec-'));
    dirs.push(root);
    await mkdir(path.join(root, 'spec'));
    await writeFile(path.join(root, 'spec', 'kmcl.md'), KMCL);
    await writeFile(path.join(root, 'spec', 'README.md'), '| KMCL-X-1 | documented | only an example | here |\n');
    await writeFile(path.join(root, 'spec', 'out-of-scope.md'), '| KMCL-MAP-6 | an example reason |\n');
    const catalogue = await loadSpec(path.join(root, 'spec'));
    expect(catalogue.problems).toEqual([]);
    expect([...catalogue.statements.keys()]).toEqual(['KMCL-MAP-6', 'OPENVMM-PROTOCOL-3']);
    expect(catalogue.statements.get('KMCL-MAP-6')?.file).toBe('spec/kmcl.md');
    expect(catalogue.outOfScope.get('KMCL-MAP-6')?.file).toBe('spec/out-of-scope.md');
  });

  it('gives a read-error for a missing folder, not a crash', async () => {
    const catalogue = await loadSpec(path.join(os.tmpdir(), 'no-such-spec-folder-here'));
    expect(catalogue.statements.size).toBe(0);
    expect(catalogue.problems.map((p) => p.kind)).toEqual(['read-error']);
  });
});
