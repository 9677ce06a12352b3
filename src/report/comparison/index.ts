/**
 * The comparison reports, written into the output directory when several implementations ran:
 * one registry entry per file, like `REPORT_FORMATS`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderComparisonHtml } from './html.js';
import { renderComparisonMarkdown } from './markdown.js';
import type { Comparison } from './model.js';

export interface ComparisonFormat {
  readonly file: string;
  readonly description: string;
  readonly render: (comparison: Comparison) => string;
}

export const COMPARISON_FORMATS = {
  markdown: {
    file: 'comparison.md',
    description: 'the rules-by-implementations matrix for a pull-request comment, with denominators and run metadata',
    render: renderComparisonMarkdown,
  },
  html: {
    file: 'comparison.html',
    description: 'the same matrix as one self-contained page (inline CSS, no script, strict Content-Security-Policy)',
    render: renderComparisonHtml,
  },
} as const satisfies Record<string, ComparisonFormat>;

/** Writes every comparison format into `outDir`; returns the paths written. */
export async function writeComparison(comparison: Comparison, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const format of Object.values(COMPARISON_FORMATS) as ComparisonFormat[]) {
    const file = path.join(outDir, format.file);
    await writeFile(file, format.render(comparison), 'utf8');
    written.push(file);
  }
  return written;
}

export * from './model.js';
export { renderComparisonHtml, COMPARISON_CSP } from './html.js';
export { renderComparisonMarkdown } from './markdown.js';
export { cleanText, htmlText, markdownText, safeUrl } from './escape.js';
export { PLUGIN_PROTOCOL_VERSION, SPEC_VERSION } from './meta.js';
