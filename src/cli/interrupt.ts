/**
 * A run interrupted by SIGINT or SIGTERM (docs: README "Exit codes").
 *
 * `main.ts` (and, in Cucumber's parallel workers, the support code) turns a signal into
 * {@link requestInterrupt}: from then on the Before hook skips every scenario it has not started,
 * marking it with an {@link INTERRUPTED_MEDIA_TYPE} attachment, implementation processes are
 * ended (whole process groups), and `run` writes every report from what was measured, marked
 * incomplete. The state is process-wide (on `globalThis`), so that the CLI and the step
 * definitions see the same one even when they were loaded as different copies of this module
 * (the tests run the CLI from source and the steps compiled).
 */
import { execFileSync } from 'node:child_process';
import { EXIT } from './exit.js';

/** The attachment that marks a scenario the interruption cut short: the report counts it as not run. */
export const INTERRUPTED_MEDIA_TYPE = 'text/x.vmbus-conformance.interrupted';

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

/** The exit code of an interrupted run: 128 + the signal's number (130 for SIGINT, 143 for SIGTERM). */
export const INTERRUPT_EXIT_CODES = { SIGINT: EXIT.INTERRUPTED, SIGTERM: EXIT.TERMINATED } as const satisfies Record<InterruptSignal, number>;

/**
 * How long a run may take to stop after the first signal before it is abandoned (a step that
 * cannot be stopped: an in-process implementation that never settles a promise). CI runners send
 * SIGKILL some 10 s after their first signal; a second signal abandons at once.
 */
export const INTERRUPT_GRACE_MS = 3000;

interface InterruptState {
  signal: InterruptSignal | undefined;
  at: number | undefined;
  forced: boolean;
  readonly listeners: Set<(signal: InterruptSignal) => void>;
  readonly forceListeners: Set<() => void>;
}

const KEY = Symbol.for('vmbus-conformance.interrupt');

function state(): InterruptState {
  const global = globalThis as unknown as Record<symbol, InterruptState | undefined>;
  let current = global[KEY];
  if (current === undefined) {
    current = { signal: undefined, at: undefined, forced: false, listeners: new Set(), forceListeners: new Set() };
    global[KEY] = current;
  }
  return current;
}

/** The signal that interrupted this process's run, if one did. */
export function interruptedBy(): InterruptSignal | undefined {
  return state().signal;
}

/**
 * Marks the run interrupted (the first signal wins) and tells every listener, once. A second call
 * (a second signal) forces the run to be abandoned at once.
 */
export function requestInterrupt(signal: InterruptSignal): void {
  const s = state();
  if (s.signal !== undefined) {
    forceInterrupt();
    return;
  }
  s.signal = signal;
  s.at = Date.now();
  for (const listener of [...s.listeners]) {
    try {
      listener(signal);
    } catch {
      // a listener's failure must not stop the others
    }
  }
}

/** Calls `listener` when the run is interrupted (at once if it already is); returns the unsubscribe. */
export function onInterrupt(listener: (signal: InterruptSignal) => void): () => void {
  const s = state();
  if (s.signal !== undefined) {
    listener(s.signal);
    return () => {};
  }
  s.listeners.add(listener);
  return () => s.listeners.delete(listener);
}

/** The run must be abandoned now: whatever still runs is not waited for. */
export function forceInterrupt(): void {
  const s = state();
  if (s.forced) return;
  s.forced = true;
  for (const listener of [...s.forceListeners]) listener();
}

/**
 * Settles when an interrupted run must be abandoned: at a second signal, or {@link INTERRUPT_GRACE_MS}
 * after the first. Never settles for a run that is not interrupted; `cancel` forgets it.
 */
export function abandonment(graceMs = INTERRUPT_GRACE_MS): { readonly promise: Promise<void>; cancel(): void } {
  const s = state();
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe = (): void => {};
  let settle = (): void => {};
  const promise = new Promise<void>((resolve) => {
    settle = () => {
      if (timer !== undefined) clearTimeout(timer);
      s.forceListeners.delete(settle);
      unsubscribe();
      resolve();
    };
  });
  if (s.forced) settle();
  else {
    s.forceListeners.add(settle);
    unsubscribe = onInterrupt(() => {
      timer ??= setTimeout(settle, graceMs);
    });
  }
  return {
    promise,
    cancel: () => {
      if (timer !== undefined) clearTimeout(timer);
      s.forceListeners.delete(settle);
      unsubscribe();
    },
  };
}

/** Forgets an interruption: for tests that interrupt an in-process run and then run again. */
export function resetInterrupt(): void {
  const s = state();
  s.signal = undefined;
  s.at = undefined;
  s.forced = false;
}

/**
 * Passes the signal on to Cucumber's parallel workers, children of this process (`pgrep -P`): a
 * signal sent to this process alone (`kill -INT <pid>`, a CI runner's cancel) would not reach
 * them. A terminal's Ctrl-C reaches them anyway; a second signal changes nothing.
 */
export function forwardToWorkers(signal: InterruptSignal): void {
  let pids: number[];
  try {
    pids = execFileSync('pgrep', ['-P', String(process.pid), '-f', 'run_worker'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((pid) => Number.isInteger(pid) && pid > 0);
  } catch {
    return; // none (pgrep exits 1), or no pgrep
  }
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone already
    }
  }
}
