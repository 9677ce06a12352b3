/**
 * The progress line from Cucumber's messages: on a TTY one live line rewritten in place (scenarios
 * done of total, the ids of the rules failing so far) and erased at the end; in a log a plain line
 * at the start, every interval while the run goes (naming the rules running), and at the end.
 */
import type { Envelope } from '@cucumber/messages';
import { describe, expect, it, vi } from 'vitest';
import { Progress } from '../../src/cli/progress.js';
import { Capture } from '../report/tinySuite.js';

function pickle(id: string, rule: string): Envelope {
  return { pickle: { id, uri: 'f', name: id, language: 'en', steps: [], tags: [{ name: `@${rule}`, astNodeId: 'a' }, { name: '@normative', astNodeId: 'b' }], astNodeIds: [] } } as unknown as Envelope;
}
const testCase = (id: string, pickleId: string) => ({ testCase: { id, pickleId, testSteps: [] } }) as unknown as Envelope;
const started = (id: string, tc: string) => ({ testCaseStarted: { id, testCaseId: tc, attempt: 0, timestamp: { seconds: 0, nanos: 0 } } }) as unknown as Envelope;
const step = (startedId: string, status: string) => ({ testStepFinished: { testCaseStartedId: startedId, testStepId: 's', testStepResult: { status, duration: { seconds: 0, nanos: 0 } }, timestamp: { seconds: 0, nanos: 0 } } }) as unknown as Envelope;
const finished = (startedId: string) => ({ testCaseFinished: { testCaseStartedId: startedId, willBeRetried: false, timestamp: { seconds: 0, nanos: 0 } } }) as unknown as Envelope;

function feed(progress: Progress): void {
  for (const [i, rule] of ['MAP-04', 'MAP-05', 'CHAN-16'].entries()) {
    progress.onEnvelope(pickle(`p${i}`, rule));
    progress.onEnvelope(testCase(`t${i}`, `p${i}`));
  }
  progress.onEnvelope(started('s0', 't0'));
  progress.onEnvelope(step('s0', 'FAILED'));
  progress.onEnvelope(finished('s0'));
  progress.onEnvelope(started('s1', 't1'));
  progress.onEnvelope(step('s1', 'PASSED'));
  progress.onEnvelope(finished('s1'));
  progress.onEnvelope(started('s2', 't2'));
  progress.onEnvelope(step('s2', 'UNDEFINED'));
  progress.onEnvelope(finished('s2'));
}

describe('the progress line', () => {
  it('on a TTY: one live line rewritten in place, throttled, erased at the end', () => {
    const stream = new Capture();
    let now = 0;
    const progress = new Progress({ stream, tty: true, now: () => now });
    for (const [i, rule] of ['MAP-04', 'MAP-05'].entries()) {
      progress.onEnvelope(pickle(`p${i}`, rule));
      progress.onEnvelope(testCase(`t${i}`, `p${i}`));
    }
    progress.onEnvelope(started('s0', 't0'));
    expect(stream.text).toBe('\r\u001b[2Kscenarios 0/2, none failing so far');
    now = 500;
    progress.onEnvelope(step('s0', 'FAILED'));
    progress.onEnvelope(finished('s0'));
    expect(stream.text.split('\r\u001b[2K').at(-1)).toBe('scenarios 1/2, rules failing so far: MAP-04');
    expect(stream.text).not.toContain('\n');
    progress.onEnvelope({ testRunFinished: { success: false, timestamp: { seconds: 0, nanos: 0 } } } as unknown as Envelope);
    expect(stream.text.endsWith('\r\u001b[2K')).toBe(true);
  });

  it('in a log: a line at the start, every interval (naming what runs), and at the end', () => {
    vi.useFakeTimers();
    try {
      const stream = new Capture();
      const progress = new Progress({ stream, tty: false, logIntervalMs: 1000 });
      progress.onEnvelope(pickle('p0', 'MAP-04'));
      progress.onEnvelope(testCase('t0', 'p0'));
      progress.onEnvelope(started('s0', 't0'));
      expect(stream.text).toBe('progress: scenarios 0/1, none failing so far (running MAP-04)\n');
      vi.advanceTimersByTime(3500);
      expect(stream.text.split('\n').filter((l) => l !== '')).toHaveLength(4);
      progress.onEnvelope(step('s0', 'FAILED'));
      progress.onEnvelope(finished('s0'));
      progress.finish();
      expect(stream.text.trimEnd().split('\n').at(-1)).toBe('progress: scenarios 1/1, rules failing so far: MAP-04');
      vi.advanceTimersByTime(5000);
      expect(stream.text.trimEnd().split('\n').at(-1)).toBe('progress: scenarios 1/1, rules failing so far: MAP-04');
    } finally {
      vi.useRealTimers();
    }
  });

  it('counts errors and undefined steps as failing, passes not', () => {
    const stream = new Capture();
    const progress = new Progress({ stream, tty: false });
    feed(progress);
    expect(progress.text()).toBe('scenarios 3/3, rules failing so far: MAP-04, CHAN-16');
    progress.finish();
  });
});
