/**
 * One issue-11 figure: what a benchmark measured against the target it is held to. Every benchmark
 * prints its own detail; the figures it judges are reported here once, so `npm run bench`
 * (bench/all.ts) can end with one table of every target, measured in that same run.
 *
 * A figure is a ratio measured side by side in one process of a benchmark, or an absolute figure
 * (operations per second, bytes) where the target is absolute. Nothing here asserts: a missed
 * target is printed as missed, with the benchmark's own reason.
 */
import { appendFileSync } from 'node:fs';

export interface TargetFigure {
  /** A short stable key, e.g. `suite-wall`. */
  readonly id: string;
  /** The target in words, e.g. "the suite within 1.3x of the no-op floor, wall". */
  readonly target: string;
  readonly measured: number;
  /** The bound the target sets; `better` says on which side of it a figure meets the target. */
  readonly limit: number;
  readonly better: 'lower' | 'higher';
  /** How `measured` and `limit` read: `x` (a ratio), `ops/s`, `B/page`, `s`. */
  readonly unit: 'x' | 'ops/s' | 'B/page' | 's' | 'B';
  /** What the figure is a ratio of, or how it was taken (rounds, medians). */
  readonly detail: string;
}

/** The file `bench/all.ts` collects figures in (one JSON object per line); unset when a benchmark runs alone. */
export const RESULTS_ENV = 'BENCH_RESULTS';

export const isMet = (f: TargetFigure): boolean => (f.better === 'lower' ? f.measured <= f.limit : f.measured >= f.limit);

export function formatFigure(value: number, unit: TargetFigure['unit']): string {
  if (unit === 'x') return `${value.toFixed(2)}x`;
  if (unit === 'ops/s') return `${Math.round(value).toLocaleString('en-US')}/s`;
  if (unit === 's') return `${value.toFixed(1)} s`;
  return `${value.toFixed(1)} ${unit}`;
}

/** Prints one target line and, under `bench/all.ts`, records it for the closing table. */
export function reportTarget(figure: TargetFigure): void {
  const verdict = isMet(figure) ? 'met' : 'MISSED';
  console.log(
    `target ${figure.id}: ${formatFigure(figure.measured, figure.unit)} (${figure.better === 'lower' ? '<=' : '>='} ${formatFigure(figure.limit, figure.unit)}) ${verdict} - ${figure.detail}`,
  );
  const file = process.env[RESULTS_ENV];
  if (file !== undefined && file !== '') appendFileSync(file, `${JSON.stringify(figure)}\n`);
}

export const median = (values: readonly number[]): number => {
  if (values.length === 0) throw new Error('median of no values');
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
};
