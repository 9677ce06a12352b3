/**
 * The terminal's view of a run while it goes, from Cucumber's message stream (`runCucumber`'s
 * `onMessage`, which sees every worker's messages): scenarios done of total, and the ids of the
 * rules failing so far.
 *
 * - On a TTY: one live line, rewritten in place (carriage return and erase line) at most every
 *   {@link TTY_INTERVAL_MS}, and erased at the end.
 * - Otherwise (a CI log): a plain `progress:` line when the run starts, every
 *   {@link LOG_INTERVAL_MS} while it runs (with the rules of the scenarios running, so that a slow
 *   one shows), and when it ends.
 *
 * Rule ids come from the `@ABC-01` tag every scenario inherits from its Rule; nothing an
 * implementation sends reaches these lines.
 */
import type { Writable } from 'node:stream';
import type { Envelope } from '@cucumber/messages';

export const TTY_INTERVAL_MS = 100;
export const LOG_INTERVAL_MS = 5000;

const ID_TAG = /^@([A-Z]+-\d{2})$/;
const BROKEN = new Set(['FAILED', 'AMBIGUOUS', 'UNDEFINED', 'PENDING']);
const MAX_IDS = 12;

export interface ProgressOptions {
  readonly stream: Writable;
  /** A terminal: one live line rewritten in place. */
  readonly tty: boolean;
  /** The clock, in milliseconds (tests). */
  readonly now?: () => number;
  /** Minimum time between two lines in a log (default {@link LOG_INTERVAL_MS}). */
  readonly logIntervalMs?: number;
  /** Label before the counts, e.g. the implementation's name with several in one run. */
  readonly label?: string;
}

export class Progress {
  private readonly ruleOfPickle = new Map<string, string>();
  private readonly pickleOfTestCase = new Map<string, string>();
  private readonly testCaseOfStarted = new Map<string, string>();
  private readonly brokenAttempts = new Set<string>();
  private total = 0;
  private done = 0;
  private readonly failing: string[] = [];
  private readonly running = new Set<string>();
  private lastWrite = Number.NEGATIVE_INFINITY;
  private liveLength = 0;
  private timer: NodeJS.Timeout | undefined;
  private finished = false;
  private started = false;

  constructor(private readonly options: ProgressOptions) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Feed every envelope of the run. */
  readonly onEnvelope = (e: Envelope): void => {
    if (this.finished) return;
    if (e.pickle) {
      const id = e.pickle.tags.map((t) => ID_TAG.exec(t.name)?.[1]).find((x) => x !== undefined);
      if (id !== undefined) this.ruleOfPickle.set(e.pickle.id, id);
    }
    if (e.testCase) {
      this.pickleOfTestCase.set(e.testCase.id, e.testCase.pickleId);
      this.total += 1;
    }
    if (e.testCaseStarted) {
      this.testCaseOfStarted.set(e.testCaseStarted.id, e.testCaseStarted.testCaseId);
      this.running.add(e.testCaseStarted.id);
      // The first scenario starts: the test cases are all known by then.
      if (!this.started) this.start();
    }
    if (e.testStepFinished && BROKEN.has(e.testStepFinished.testStepResult.status)) this.brokenAttempts.add(e.testStepFinished.testCaseStartedId);
    if (e.testCaseFinished) {
      const started = e.testCaseFinished.testCaseStartedId;
      this.running.delete(started);
      if (e.testCaseFinished.willBeRetried) return;
      this.done += 1;
      if (this.brokenAttempts.has(started)) {
        const id = this.ruleOf(started);
        if (id !== undefined && !this.failing.includes(id)) this.failing.push(id);
      }
      if (this.options.tty) this.updateLive();
    }
    if (e.testRunFinished) this.finish();
  };

  private ruleOf(testCaseStartedId: string): string | undefined {
    const testCase = this.testCaseOfStarted.get(testCaseStartedId);
    const pickle = testCase !== undefined ? this.pickleOfTestCase.get(testCase) : undefined;
    return pickle !== undefined ? this.ruleOfPickle.get(pickle) : undefined;
  }

  /** The current line: `scenarios 45/420, rules failing so far: MAP-04, CHAN-16`. */
  text(): string {
    const ids = this.failing.length <= MAX_IDS ? this.failing.join(', ') : `${this.failing.slice(0, MAX_IDS).join(', ')} and ${this.failing.length - MAX_IDS} more`;
    const label = this.options.label !== undefined ? `${this.options.label}: ` : '';
    return `${label}scenarios ${this.done}/${this.total}${this.failing.length > 0 ? `, rules failing so far: ${ids}` : ', none failing so far'}`;
  }

  private start(): void {
    this.started = true;
    if (this.options.tty) return this.updateLive();
    this.writeLog();
    // At least one line every interval, also while one slow scenario runs.
    this.timer = setInterval(() => this.writeLog(), this.options.logIntervalMs ?? LOG_INTERVAL_MS);
    this.timer.unref();
  }

  private writeLog(): void {
    const running = [...new Set([...this.running].flatMap((id) => this.ruleOf(id) ?? []))];
    const now = running.length > 0 && running.length <= 4 ? ` (running ${running.join(', ')})` : '';
    this.options.stream.write(`progress: ${this.text()}${now}\n`);
  }

  private updateLive(): void {
    const now = this.now();
    if (now - this.lastWrite < TTY_INTERVAL_MS) {
      // The latest state is written when the interval is up, even if nothing else arrives by then.
      if (this.timer === undefined) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          if (!this.finished) this.updateLive();
        }, TTY_INTERVAL_MS - (now - this.lastWrite));
        this.timer.unref();
      }
      return;
    }
    const text = this.text();
    this.options.stream.write(`\r\u001b[2K${text}`);
    this.liveLength = text.length;
    this.lastWrite = now;
  }

  /** The run ended: a last line in a log, the live line erased on a terminal. */
  finish(): void {
    if (this.finished) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.options.tty) {
      if (this.liveLength > 0) this.options.stream.write('\r\u001b[2K');
    } else if (this.total > 0 || this.done > 0) {
      this.writeLog();
    }
    this.finished = true;
  }
}
