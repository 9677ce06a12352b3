/**
 * Combines the Cucumber message streams of the shards of one run (`run --shard i/n`) into the
 * stream one unsharded run would have written, apart from timings.
 *
 * Every shard compiles every feature, so each stream holds all the GherkinDocuments, pickles, step
 * definitions and hooks, but under ids of its own (Cucumber's ids are random UUIDs), and the test
 * cases of its own share only. The first shard's definitions are kept; each other shard's are
 * matched with them one for one, in order, and checked to be the same once their ids are
 * translated (else the shards ran different features or steps, and nothing is merged). Every
 * message of the shards' test cases is then translated to the first shard's ids and emitted in
 * the order of the pickles, as a serial run emits them; a scenario that ran in two shards is an
 * error. The run finished when every shard's did, succeeded when every shard's did.
 */
import type { Envelope } from '@cucumber/messages';

export class MergeError extends Error {
  override readonly name = 'MergeError';
}

/** The messages of a test case's execution, grouped by the attempt (testCaseStarted) they belong to. */
const EXECUTION = ['testCaseStarted', 'testStepStarted', 'testStepFinished', 'testCaseFinished', 'attachment', 'externalAttachment'] as const;
/** Messages of the run's test cases and run hooks, translated and carried over from every shard. */
const DYNAMIC = new Set<string>(['testCase', ...EXECUTION, 'testRunHookStarted', 'testRunHookFinished', 'suggestion']);
/** Messages that must be the same in every shard once ids are translated. */
const COMPARED = new Set<string>(['source', 'gherkinDocument', 'pickle', 'stepDefinition', 'hook', 'parameterType', 'undefinedParameterType', 'parseError']);

export interface ShardMessages {
  /** For messages: the shard's directory. */
  readonly name: string;
  readonly envelopes: readonly Envelope[];
}

const kindOf = (envelope: Envelope): string => Object.keys(envelope)[0] ?? '';

/** Every `id` value in a message, depth first, in document order. */
function collectIds(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) collectIds(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'id' && typeof item === 'string') into.push(item);
      else collectIds(item, into);
    }
  }
  return into;
}

/** A deep copy of `value` with every string that is a translated id replaced by its translation. */
function translate<T>(value: T, ids: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') return (ids.get(value) ?? value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => translate(item, ids)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = translate(item, ids);
    return out as T;
  }
  return value;
}

function timestampMs(t: { seconds: number; nanos: number } | undefined): number {
  return t === undefined ? 0 : t.seconds * 1000 + t.nanos / 1e6;
}

/** The test case attempt an execution message belongs to, if any. */
function attemptOf(envelope: Envelope): string | undefined {
  if (envelope.testCaseStarted) return envelope.testCaseStarted.id;
  const e = envelope as Record<string, { testCaseStartedId?: string } | undefined>;
  for (const kind of EXECUTION) {
    const id = e[kind]?.testCaseStartedId;
    if (id !== undefined) return id;
  }
  return undefined;
}

export function mergeMessages(shards: readonly ShardMessages[]): Envelope[] {
  const first = shards[0];
  if (first === undefined) throw new MergeError('nothing to merge: no shard was given');
  const staticsOf = (shard: ShardMessages) => shard.envelopes.filter((e) => !DYNAMIC.has(kindOf(e)) && kindOf(e) !== 'testRunFinished');
  const baseStatics = staticsOf(first);
  const pickleOrder = new Map<string, number>();
  for (const e of baseStatics) if (e.pickle) pickleOrder.set(e.pickle.id, pickleOrder.size);
  if (pickleOrder.size === 0) throw new MergeError(`${first.name}: its messages hold no scenarios (was it a run at all?)`);

  const testCases: { envelope: Envelope; order: number }[] = [];
  const attempts = new Map<string, { order: number; shard: number; messages: Envelope[] }>();
  const runLevel: Envelope[] = [];
  const finishes: NonNullable<Envelope['testRunFinished']>[] = [];
  const starts: NonNullable<Envelope['testRunStarted']>[] = [];
  const ranIn = new Map<number, string>();

  shards.forEach((shard, index) => {
    const statics = staticsOf(shard);
    const ids = new Map<string, string>();
    if (index > 0) {
      const kinds = (list: readonly Envelope[]) => list.map(kindOf).join(',');
      if (kinds(statics) !== kinds(baseStatics)) {
        throw new MergeError(`${shard.name} ran other features or steps than ${first.name}: their messages differ (the same version of the suite, the same --tags, the same implementation?)`);
      }
      statics.forEach((envelope, i) => {
        const mine = collectIds(envelope);
        const theirs = collectIds(baseStatics[i]);
        if (mine.length !== theirs.length) throw new MergeError(`${shard.name}: its ${kindOf(envelope)} messages differ from ${first.name}'s`);
        mine.forEach((id, j) => ids.set(id, theirs[j]!));
      });
      statics.forEach((envelope, i) => {
        if (!COMPARED.has(kindOf(envelope))) return;
        if (JSON.stringify(translate(envelope, ids)) !== JSON.stringify(baseStatics[i])) {
          throw new MergeError(`${shard.name} ran other features or steps than ${first.name}: a ${kindOf(envelope)} message differs`);
        }
      });
    }
    const testCaseOrder = new Map<string, number>();
    for (const raw of shard.envelopes) {
      const kind = kindOf(raw);
      if (raw.testRunStarted) starts.push(raw.testRunStarted);
      if (!DYNAMIC.has(kind) && kind !== 'testRunFinished') continue;
      const envelope = index === 0 ? raw : translate(raw, ids);
      if (envelope.testRunFinished) {
        finishes.push(envelope.testRunFinished);
        continue;
      }
      if (envelope.testCase) {
        const order = pickleOrder.get(envelope.testCase.pickleId);
        if (order === undefined) throw new MergeError(`${shard.name}: a test case names a scenario that is not among the run's pickles`);
        const earlier = ranIn.get(order);
        if (earlier !== undefined) throw new MergeError(`a scenario ran in both ${earlier} and ${shard.name}: give each shard of the run once (--shard 1/n to n/n)`);
        ranIn.set(order, shard.name);
        testCaseOrder.set(envelope.testCase.id, order);
        testCases.push({ envelope, order });
        continue;
      }
      const attempt = attemptOf(envelope);
      if (attempt === undefined) {
        runLevel.push(envelope);
        continue;
      }
      let group = attempts.get(attempt);
      if (group === undefined) {
        const order = envelope.testCaseStarted ? (testCaseOrder.get(envelope.testCaseStarted.testCaseId) ?? Number.MAX_SAFE_INTEGER) : Number.MAX_SAFE_INTEGER;
        group = { order, shard: index, messages: [] };
        attempts.set(attempt, group);
      }
      group.messages.push(envelope);
    }
  });

  const merged: Envelope[] = [];
  for (const envelope of baseStatics) {
    if (envelope.testRunStarted) {
      const earliest = starts.reduce((a, b) => (timestampMs(b.timestamp) < timestampMs(a.timestamp) ? b : a));
      merged.push({ testRunStarted: { ...envelope.testRunStarted, timestamp: earliest.timestamp } });
    } else {
      merged.push(envelope);
    }
  }
  merged.push(...testCases.sort((a, b) => a.order - b.order).map((t) => t.envelope));
  const hooksBefore = runLevel.filter((e) => e.testRunHookStarted || e.testRunHookFinished);
  const other = runLevel.filter((e) => !(e.testRunHookStarted || e.testRunHookFinished));
  merged.push(...hooksBefore);
  // Attempts in pickle order; a retried scenario's attempts in the order they ran.
  const groups = [...attempts.values()].map((g, i) => ({ ...g, i })).sort((a, b) => a.order - b.order || a.i - b.i);
  for (const group of groups) merged.push(...group.messages);
  merged.push(...other);
  if (finishes.length === shards.length) {
    const last = finishes.reduce((a, b) => (timestampMs(b.timestamp) > timestampMs(a.timestamp) ? b : a));
    const failed = finishes.find((f) => f.exception !== undefined || (f.message !== undefined && f.message !== ''));
    merged.push({
      testRunFinished: {
        ...(failed ?? last),
        success: finishes.every((f) => f.success),
        timestamp: last.timestamp,
        ...(baseStatics.find((e) => e.testRunStarted)?.testRunStarted ? { testRunStartedId: baseStatics.find((e) => e.testRunStarted)!.testRunStarted!.id } : {}),
      },
    });
  }
  return merged;
}
