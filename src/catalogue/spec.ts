/**
 * The statements the rules cite: `spec/*.md`, read into a catalogue of statements by id.
 *
 * Each statement is one row of a Markdown table whose first cell is its id, in the form
 * `<SOURCE>-<TOPIC>-<n>` (`KMCL-MAP-3`, `LINUX-CHANNEL-7`, `OPENVMM-CHANNELS-11`, `INFER-2`; see
 * spec/README.md), followed by its level (`documented`, `protocol` or `inferred`), the statement
 * in the project's words, and where it comes from:
 *
 * ```markdown
 * | id | level | statement | where |
 * |---|---|---|---|
 * | KMCL-MAP-6 | documented | A GPADL may have a single mapping at any one time. | KMCL/nc-...-fn_vmb_channel_map_gpadl (Remarks) |
 * ```
 *
 * `spec/out-of-scope.md` holds a table `| statement | reason |` whose first cell lists ids
 * (comma-separated) that no rule cites, with the reason. `spec/README.md` is prose only.
 * A malformed row (an id cell with a bad level, too few cells, an id used twice) is a located
 * {@link SpecProblem}, never a crash.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export type SpecLevel = 'documented' | 'protocol' | 'inferred';
export const SPEC_LEVELS: readonly SpecLevel[] = ['documented', 'protocol', 'inferred'];

/** A statement id: `KMCL-MAP-3`, `HDR-STATE-10`, `INFER-2`. */
export const SPEC_ID = /^[A-Z][A-Z0-9]*(?:-[A-Z][A-Z0-9]*)*-\d+$/;

export interface SpecStatement {
  readonly id: string;
  readonly level: SpecLevel;
  /** The statement, in the project's words. */
  readonly text: string;
  /** Where it comes from: the page and section, or the file and function. */
  readonly where: string;
  /** The spec file, relative to the root the catalogue was loaded with (`spec/kmcl.md`). */
  readonly file: string;
  readonly line: number;
}

export interface OutOfScopeEntry {
  readonly id: string;
  readonly reason: string;
  readonly file: string;
  readonly line: number;
}

export type SpecProblemKind = 'malformed-statement' | 'duplicate-statement-id' | 'malformed-out-of-scope' | 'read-error';

export interface SpecProblem {
  readonly kind: SpecProblemKind;
  readonly file: string;
  readonly line: number;
  /** `file:line: what is wrong`, ready to print. */
  readonly message: string;
}

export interface SpecCatalogue {
  readonly statements: ReadonlyMap<string, SpecStatement>;
  readonly outOfScope: ReadonlyMap<string, OutOfScopeEntry>;
  readonly problems: readonly SpecProblem[];
}

/** The file that lists the statements no rule cites. */
export const OUT_OF_SCOPE_FILE = 'out-of-scope.md';

function problem(kind: SpecProblemKind, file: string, line: number, text: string): SpecProblem {
  return { kind, file, line, message: `${file}:${line}: ${text}` };
}

/** The cells of a Markdown table row, `\|` kept as a literal bar; undefined for a non-row. */
export function tableCells(line: string): string[] | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('|') || !trimmed.endsWith('|') || trimmed.length < 2) return undefined;
  const cells: string[] = [];
  let current = '';
  for (let i = 1; i < trimmed.length - 1; i++) {
    const c = trimmed[i]!;
    if (c === '\\' && trimmed[i + 1] === '|') {
      current += '|';
      i++;
    } else if (c === '|') {
      cells.push(current.trim());
      current = '';
    } else {
      current += c;
    }
  }
  cells.push(current.trim());
  return cells;
}

const isSpecLevel = (text: string): text is SpecLevel => (SPEC_LEVELS as readonly string[]).includes(text);

/** The statements of one spec file (not README.md, not out-of-scope.md). */
export function parseSpecFile(file: string, text: string): { statements: SpecStatement[]; problems: SpecProblem[] } {
  const statements: SpecStatement[] = [];
  const problems: SpecProblem[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const cells = tableCells(line);
    if (!cells || !SPEC_ID.test(cells[0] ?? '')) return;
    const lineNo = index + 1;
    const [id, level, statement, where] = cells as [string, string?, string?, string?];
    if (cells.length !== 4) {
      problems.push(problem('malformed-statement', file, lineNo, `${id}: expected 4 cells (id, level, statement, where), found ${cells.length}`));
      return;
    }
    if (!isSpecLevel(level ?? '')) {
      problems.push(problem('malformed-statement', file, lineNo, `${id}: level "${level}" is not one of ${SPEC_LEVELS.join(', ')}`));
      return;
    }
    if (!statement || !where) {
      problems.push(problem('malformed-statement', file, lineNo, `${id}: the statement and its source must not be empty`));
      return;
    }
    statements.push({ id, level: level as SpecLevel, text: statement, where, file, line: lineNo });
  });
  return { statements, problems };
}

/** The rows of out-of-scope.md: `| KMCL-CLOSED-4, HDR-STATE-6 | reason |`. */
export function parseOutOfScope(file: string, text: string): { entries: OutOfScopeEntry[]; problems: SpecProblem[] } {
  const entries: OutOfScopeEntry[] = [];
  const problems: SpecProblem[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const cells = tableCells(line);
    if (!cells) return;
    const ids = (cells[0] ?? '').split(',').map((s) => s.trim());
    if (!ids.every((id) => SPEC_ID.test(id))) return; // the header row, the separator, prose tables
    const lineNo = index + 1;
    const reason = cells[1] ?? '';
    if (cells.length !== 2 || reason === '') {
      problems.push(problem('malformed-out-of-scope', file, lineNo, `expected 2 cells (statements, reason), the reason not empty`));
      return;
    }
    for (const id of ids) entries.push({ id, reason, file, line: lineNo });
  });
  return { entries, problems };
}

/** Joins parsed files into one catalogue; an id used twice is reported at its second use. */
export function specCatalogue(
  files: readonly { readonly file: string; readonly text: string }[],
): SpecCatalogue {
  const statements = new Map<string, SpecStatement>();
  const outOfScope = new Map<string, OutOfScopeEntry>();
  const problems: SpecProblem[] = [];
  for (const { file, text } of files) {
    if (path.posix.basename(file) === OUT_OF_SCOPE_FILE) {
      const parsed = parseOutOfScope(file, text);
      problems.push(...parsed.problems);
      for (const entry of parsed.entries) {
        const first = outOfScope.get(entry.id);
        if (first) {
          problems.push(problem('malformed-out-of-scope', file, entry.line, `${entry.id} is already listed at line ${first.line}`));
          continue;
        }
        outOfScope.set(entry.id, entry);
      }
      continue;
    }
    const parsed = parseSpecFile(file, text);
    problems.push(...parsed.problems);
    for (const statement of parsed.statements) {
      const first = statements.get(statement.id);
      if (first) {
        problems.push(problem('duplicate-statement-id', file, statement.line, `${statement.id} is already used at ${first.file}:${first.line}`));
        continue;
      }
      statements.set(statement.id, statement);
    }
  }
  return { statements, outOfScope, problems };
}

const toPosix = (p: string): string => p.split(path.sep).join('/');

/**
 * Reads every `*.md` of `specDir` (sorted; README.md has no statements and is skipped). File
 * names are relative to `root` (default: the parent of `specDir`), so they read `spec/kmcl.md`.
 * A missing folder gives an empty catalogue with a `read-error` problem.
 */
export async function loadSpec(specDir: string, options: { readonly root?: string } = {}): Promise<SpecCatalogue> {
  const root = options.root ?? path.dirname(path.resolve(specDir));
  const relative = (p: string): string => toPosix(path.relative(root, p));
  let names: string[];
  try {
    names = (await readdir(specDir)).filter((n) => n.endsWith('.md') && n !== 'README.md').sort();
  } catch (error) {
    return {
      statements: new Map(),
      outOfScope: new Map(),
      problems: [problem('read-error', relative(specDir), 0, `cannot read the spec folder: ${(error as Error).message}`)],
    };
  }
  const files: { file: string; text: string }[] = [];
  for (const name of names) {
    const full = path.join(specDir, name);
    files.push({ file: relative(full), text: await readFile(full, 'utf8') });
  }
  return specCatalogue(files);
}
